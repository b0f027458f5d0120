using System.Text;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>The one table printed when everything is healthy: each resource with its state and where to reach it.</summary>
public static class ResourceTable
{
    public static string Render(IEnumerable<ResourceRuntime> runtimes)
    {
        var rows = runtimes
            .Select(runtime => (Snapshot: ResourceSnapshot.From(runtime), runtime.Resource.Type))
            .Select(row => new[]
            {
                row.Snapshot.Name,
                row.Type,
                $"{row.Snapshot.State}/{row.Snapshot.Health}",
                row.Snapshot.Urls.Count > 0 ? string.Join(" ", row.Snapshot.Urls) : row.Snapshot.ConnectionString ?? string.Empty,
            })
            .Prepend(["RESOURCE", "TYPE", "STATE", "URL / CONNECTION"])
            .ToList();
        var widths = Enumerable.Range(0, 4).Select(column => rows.Max(row => row[column].Length)).ToArray();

        var table = new StringBuilder();
        foreach (var row in rows)
        {
            table.AppendLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }

        return table.ToString();
    }
}
