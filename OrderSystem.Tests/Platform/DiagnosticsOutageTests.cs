using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Orders;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// The diagnostics service keeps telemetry in memory, so stopping it loses what the services logged when they
/// started; the topology collection's tests cannot put that back, so this test has a topology of its own.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class DiagnosticsOutageTests(TopologyFixture fixture) : IClassFixture<TopologyFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private Topology App => fixture.Topology;

    [Fact]
    public async Task With_the_diagnostics_service_down_orders_complete_and_its_telemetry_resumes_once_it_is_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var orders = new TopologyOrders(App);
        var lines = await orders.PickInStockSkusAsync(1);

        await App.StopResourceAsync("diagnostics", cancellationToken);
        try
        {
            // Every service keeps exporting into the void: the order goes through the whole saga, notification included.
            var (order, _) = await orders.PlaceAsync(lines);
            Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
            var id = order.GetProperty("id").GetString();
            await Eventually.WaitUntilAsync(
                async () => (await orders.Gateway.GetFromJsonAsync<JsonElement>($"/api/orders/{id}/notifications", cancellationToken)).GetArrayLength() >= 2,
                Deadline,
                $"the notifications of order {id} with the diagnostics service down");
            Assert.All(Topology.Services, service =>
                Assert.Equal(KnownResourceStates.Running, App.App.ResourceNotifications.TryGetCurrentState(service, out var state) ? state.Snapshot.State?.Text : null));
        }
        finally
        {
            await App.StartResourceAsync("diagnostics", cancellationToken);
        }

        // Back: the next order's trace arrives from all five services.
        var (_, traceId) = await orders.PlaceAsync(lines);
        using var diagnostics = App.CreateDiagnosticsClient();
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var response = await diagnostics.GetAsync($"/api/traces/{traceId}", cancellationToken);
                return response.StatusCode == HttpStatusCode.OK
                    && Trace.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).Spans.Select(span => span.Service).ToHashSet()
                        .SetEquals(Topology.Services);
            },
            Deadline,
            $"trace {traceId} from the five services once the diagnostics service is back");
    }
}
