using System.Globalization;
using System.Text;
using OrderSystem.Diagnostics.Audit;

namespace OrderSystem.Tests.Chaos;

/// <summary>What one fault of a chaos run did and how the system came back from it.</summary>
/// <param name="Fault">What was done, e.g. "kill -9 orders after the deduction".</param>
/// <param name="Placed">Orders the clients started from the fault until it was over, and what they were answered.</param>
/// <param name="Unfinished">Orders caught unfinished by the fault (PENDING at a kill, or not yet notified for the broker and Notifications).</param>
/// <param name="Recovered">Of those, how many finished afterwards (CONFIRMED or FAILED, or notified).</param>
/// <param name="Outage">From the fault until it was over: the service healthy again, the server back, the switch off.</param>
/// <param name="Recovery">From then until the audit found every order settled and nothing violated.</param>
/// <param name="Audit">The last audit of the step.</param>
internal sealed record ChaosStepResult(string Fault, LoadCounts Placed, int Unfinished, int Recovered, TimeSpan Outage, TimeSpan Recovery, AuditReport Audit)
{
    public static string FormatTable(IEnumerable<ChaosStepResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| fault | orders placed (201/402/gave up) | unfinished at the fault | recovered | outage | recovery to a clean audit | violations |");
        table.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Fault} | {r.Placed.Started} ({r.Placed.Created}/{r.Placed.Declined}/{r.Placed.GaveUp}) | {r.Unfinished} | {r.Recovered} | {r.Outage.TotalSeconds:0.0} s | {r.Recovery.TotalSeconds:0.0} s | {r.Audit.Violations.Count} |");
        }

        return table.ToString();
    }
}
