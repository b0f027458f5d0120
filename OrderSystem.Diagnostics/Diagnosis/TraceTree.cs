using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>
/// The spans of one trace as a tree addressed by index: spans ordered by start time, each span's parent, children
/// (in start order), depth and self time (its duration less the time covered by its children). A span whose parent
/// is missing, or that sits in a parent cycle a broken sender produced, is a root.
/// </summary>
public sealed class TraceTree
{
    private readonly StoredSpan[] _spans;
    private readonly int[] _parents;
    private readonly int[] _childStart;
    private readonly int[] _childIndexes;
    private readonly int[] _depths;
    private readonly long[] _selfTimes;

    public TraceTree(TraceSnapshot trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        TraceId = trace.TraceId;
        _spans = [.. trace.Spans];
        Array.Sort(_spans, static (a, b) => a.StartUnixNano.CompareTo(b.StartUnixNano));
        var count = _spans.Length;
        var indexById = new Dictionary<SpanId, int>(count);
        for (var i = 0; i < count; i++)
        {
            indexById.TryAdd(_spans[i].SpanId, i);
        }

        _parents = new int[count];
        for (var i = 0; i < count; i++)
        {
            _parents[i] = indexById.TryGetValue(_spans[i].ParentSpanId, out var parent) && parent != i ? parent : -1;
        }

        _depths = ComputeDepths(_parents);
        (_childStart, _childIndexes) = ComputeChildren(_parents);
        _selfTimes = new long[count];
        for (var i = 0; i < count; i++)
        {
            _selfTimes[i] = ComputeSelfTime(i);
        }

        Root = FindRoot();
    }

    public TraceId TraceId { get; }

    public int Count => _spans.Length;

    /// <summary>The trace's entry span: the earliest without a parent, else the earliest whose parent is missing.</summary>
    public int Root { get; }

    public StoredSpan Span(int index) => _spans[index];

    /// <summary>The parent's index, or -1 for a root.</summary>
    public int Parent(int index) => _parents[index];

    public int Depth(int index) => _depths[index];

    public long SelfTimeNano(int index) => _selfTimes[index];

    public ReadOnlySpan<int> Children(int index) => _childIndexes.AsSpan(_childStart[index], _childStart[index + 1] - _childStart[index]);

    public long StartUnixNano => _spans.Length == 0 ? 0 : _spans.Min(s => s.StartUnixNano);

    public long EndUnixNano => _spans.Length == 0 ? 0 : _spans.Max(s => s.EndUnixNano);

    /// <summary>A span and everything below it, parents before children.</summary>
    public IEnumerable<int> Subtree(int index)
    {
        var pending = new Stack<int>();
        pending.Push(index);
        while (pending.TryPop(out var current))
        {
            yield return current;
            var children = Children(current);
            for (var i = children.Length - 1; i >= 0; i--)
            {
                pending.Push(children[i]);
            }
        }
    }

    private int FindRoot()
    {
        var root = -1;
        for (var i = 0; i < _spans.Length; i++)
        {
            if (_parents[i] >= 0)
            {
                continue;
            }

            if (_spans[i].ParentSpanId.IsEmpty)
            {
                return i;
            }

            root = root < 0 ? i : root;
        }

        return root;
    }

    private static int[] ComputeDepths(int[] parents)
    {
        var count = parents.Length;
        var depths = new int[count];
        if (TryComputeDepthsInOrder(parents, depths))
        {
            return depths;
        }

        Array.Fill(depths, -1);
        var childrenOf = new List<int>?[count];
        for (var i = 0; i < count; i++)
        {
            if (parents[i] >= 0)
            {
                (childrenOf[parents[i]] ??= []).Add(i);
            }
        }

        var queue = new Queue<int>();
        for (var i = 0; i < count; i++)
        {
            if (parents[i] < 0)
            {
                depths[i] = 0;
                queue.Enqueue(i);
            }
        }

        Walk(queue, depths, childrenOf);

        // Spans never reached hang in a parent cycle: cut the cycle at the earliest of them.
        for (var i = 0; i < count; i++)
        {
            if (depths[i] >= 0)
            {
                continue;
            }

            childrenOf[parents[i]]!.Remove(i);
            parents[i] = -1;
            depths[i] = 0;
            queue.Enqueue(i);
            Walk(queue, depths, childrenOf);
        }

        return depths;
    }

    /// <summary>The usual case, a parent starting before its children, takes one pass and no allocation.</summary>
    private static bool TryComputeDepthsInOrder(int[] parents, int[] depths)
    {
        for (var i = 0; i < parents.Length; i++)
        {
            var parent = parents[i];
            if (parent >= i)
            {
                return false;
            }

            depths[i] = parent < 0 ? 0 : depths[parent] + 1;
        }

        return true;
    }

    private static void Walk(Queue<int> queue, int[] depths, List<int>?[] childrenOf)
    {
        while (queue.TryDequeue(out var current))
        {
            foreach (var child in childrenOf[current] ?? [])
            {
                if (depths[child] < 0)
                {
                    depths[child] = depths[current] + 1;
                    queue.Enqueue(child);
                }
            }
        }
    }

    private static (int[] Start, int[] Indexes) ComputeChildren(int[] parents)
    {
        var start = new int[parents.Length + 1];
        foreach (var parent in parents)
        {
            if (parent >= 0)
            {
                start[parent + 1]++;
            }
        }

        for (var i = 0; i < parents.Length; i++)
        {
            start[i + 1] += start[i];
        }

        var next = start[..^1];
        var indexes = new int[start[^1]];
        for (var i = 0; i < parents.Length; i++)
        {
            if (parents[i] >= 0)
            {
                indexes[next[parents[i]]++] = i;
            }
        }

        return (start, indexes);
    }

    private long ComputeSelfTime(int index)
    {
        var span = _spans[index];
        var covered = 0L;
        var cursor = span.StartUnixNano;
        foreach (var child in Children(index))
        {
            var from = Math.Max(_spans[child].StartUnixNano, cursor);
            var to = Math.Min(_spans[child].EndUnixNano, span.EndUnixNano);
            if (to > from)
            {
                covered += to - from;
                cursor = to;
            }
        }

        return Math.Max(0, span.DurationNano - covered);
    }
}
