namespace OrderSystem.Diagnostics.Otlp;

/// <summary>
/// Queued OTLP exports of one signal joined into one request body, as a collector's batch processor joins them before
/// its exporter. Each <c>Export*ServiceRequest</c> is a single repeated field, and protobuf reads concatenated messages
/// as one message holding the repeated fields of both, so the bodies are joined as they are, in order.
/// </summary>
/// <param name="Exports">How many received exports the body carries.</param>
public sealed record OtlpExportBatch(OtlpSignal Signal, byte[] Body, int Exports)
{
    /// <summary>One batch per signal, in the order each signal first appears; exports keep their order within a signal.</summary>
    public static IReadOnlyList<OtlpExportBatch> Join(IReadOnlyList<(OtlpSignal Signal, byte[] Body)> exports)
    {
        ArgumentNullException.ThrowIfNull(exports);
        return
        [
            .. exports
                .GroupBy(export => export.Signal)
                .Select(group => new OtlpExportBatch(group.Key, Concatenate([.. group.Select(export => export.Body)]), group.Count())),
        ];
    }

    private static byte[] Concatenate(byte[][] bodies)
    {
        if (bodies.Length == 1)
        {
            return bodies[0];
        }

        var joined = new byte[bodies.Sum(body => body.Length)];
        var offset = 0;
        foreach (var body in bodies)
        {
            body.CopyTo(joined, offset);
            offset += body.Length;
        }

        return joined;
    }
}
