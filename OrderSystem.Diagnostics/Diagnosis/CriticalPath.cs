namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>One span on the critical path and the time the path spends in the span itself.</summary>
public sealed record CriticalPathStep(string SpanId, string Service, string Operation, double SelfTimeMs);

/// <summary>
/// The critical path of a trace: walking back from the end of a span, the child that finished last before the
/// cursor is what the span waited for; its own path is followed, then the cursor moves to the child's start.
/// The time between such children is the span's own. Iterative, so a very deep trace cannot overflow the stack.
/// </summary>
public static class CriticalPath
{
    public static IReadOnlyList<CriticalPathStep> Of(TraceTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (tree.Root < 0)
        {
            return [];
        }

        var segments = Segments(tree, tree.Root);
        segments.Reverse();
        var steps = new List<(int Index, long Nanos)>();
        var positions = new Dictionary<int, int>();
        foreach (var (index, nanos) in segments)
        {
            if (positions.TryGetValue(index, out var position))
            {
                steps[position] = (index, steps[position].Nanos + nanos);
                continue;
            }

            positions.Add(index, steps.Count);
            steps.Add((index, nanos));
        }

        return [.. steps.Select(step =>
        {
            var span = tree.Span(step.Index);
            return new CriticalPathStep(span.SpanId.ToString(), span.ServiceName, span.Name, DiagnosisMath.Milliseconds(step.Nanos));
        })];
    }

    /// <summary>Segments (span index, nanoseconds) from the end of the trace backwards.</summary>
    private static List<(int Index, long Nanos)> Segments(TraceTree tree, int root)
    {
        var segments = new List<(int, long)>();
        var frames = new Stack<Frame>();
        frames.Push(new Frame(tree, root, tree.Span(root).EndUnixNano));
        while (frames.TryPeek(out var frame))
        {
            var start = tree.Span(frame.Index).StartUnixNano;
            if (frame.Next < frame.Children.Length)
            {
                var child = tree.Span(frame.Children[frame.Next]);
                var childIndex = frame.Children[frame.Next++];
                if (child.StartUnixNano >= frame.Cursor || child.EndUnixNano <= start)
                {
                    continue;
                }

                var childEnd = Math.Min(child.EndUnixNano, frame.Cursor);
                if (childEnd < frame.Cursor)
                {
                    segments.Add((frame.Index, frame.Cursor - childEnd));
                }

                frame.Cursor = Math.Max(child.StartUnixNano, start);
                frames.Push(new Frame(tree, childIndex, childEnd));
                continue;
            }

            if (frame.Cursor > start)
            {
                segments.Add((frame.Index, frame.Cursor - start));
            }

            frames.Pop();
        }

        return segments;
    }

    private sealed class Frame
    {
        public Frame(TraceTree tree, int index, long limitEnd)
        {
            Index = index;
            Cursor = Math.Min(tree.Span(index).EndUnixNano, limitEnd);
            var children = tree.Children(index).ToArray();
            Array.Sort(children, (a, b) => tree.Span(b).EndUnixNano.CompareTo(tree.Span(a).EndUnixNano));
            Children = children;
        }

        public int Index { get; }

        public int[] Children { get; }

        public int Next { get; set; }

        public long Cursor { get; set; }
    }
}
