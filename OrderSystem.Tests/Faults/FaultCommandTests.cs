using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using OrderSystem.AppHost.Faults;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.AppHost.Faults.FaultCommandExtensions;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// The faults as the Aspire dashboard offers them: a pair of commands on the resource each acts on, which switch it
/// through the diagnostics service's API, and a <c>fault.NAME</c> property that shows the switch however it was set.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FaultCommandTests(TopologyFixture fixture) : IDisposable
{
    private readonly FaultHarness _faults = new(fixture.Topology);

    private Topology Application => fixture.Topology;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_known_fault_has_its_pair_of_commands_on_the_resource_it_acts_on()
    {
        foreach (var fault in KnownFaults.All)
        {
            var text = FaultCommandTexts.ByFault[fault.Name];
            var snapshot = await WaitForSwitchAsync(fault, FaultStates.Off);

            var switchOn = Command(snapshot, SwitchOnCommandName(fault.Name));
            var switchOff = Command(snapshot, SwitchOffCommandName(fault.Name));
            Assert.Equal((text.SwitchOn, fault.Description, text.SwitchOnIcon), (switchOn.DisplayName, switchOn.DisplayDescription, switchOn.IconName));
            Assert.Equal((text.SwitchOff, text.SwitchOffIcon), (switchOff.DisplayName, switchOff.IconName));
            Assert.Equal(text.Confirmation, switchOn.ConfirmationMessage);
        }
    }

    [Theory]
    [InlineData(KnownFaults.InventoryCacheOff)]
    [InlineData(KnownFaults.PaymentsRetriesOff)]
    [InlineData(KnownFaults.KafkaOutage)]
    public async Task A_fault_command_switches_the_fault_and_the_other_command_of_the_pair_takes_over(string name)
    {
        var fault = KnownFaults.Find(name)!;
        await WaitForSwitchAsync(fault, FaultStates.Off);

        try
        {
            await ExecuteAsync(fault.Service, SwitchOnCommandName(name), Token);

            Assert.True(await IsEnabledInApiAsync(name), $"GET /api/faults does not show {name} on");
            // The command publishes what it set before it returns.
            AssertSwitch(CurrentSnapshot(fault.Service), fault, FaultStates.On);
        }
        finally
        {
            // Other tests share the topology: switch it off even when the test failed or was cancelled.
            await ExecuteAsync(fault.Service, SwitchOffCommandName(name), CancellationToken.None);
        }

        Assert.False(await IsEnabledInApiAsync(name), $"GET /api/faults still shows {name} on");
        AssertSwitch(CurrentSnapshot(fault.Service), fault, FaultStates.Off);
    }

    [Fact]
    public async Task A_fault_switched_through_the_api_shows_on_its_resource()
    {
        var fault = KnownFaults.Find(KnownFaults.ProductsNPlusOne)!;
        await WaitForSwitchAsync(fault, FaultStates.Off);

        await _faults.SetAsync(fault.Name, enabled: true);
        try
        {
            await WaitForSwitchAsync(fault, FaultStates.On);
        }
        finally
        {
            await _faults.SetAsync(fault.Name, enabled: false);
        }

        await WaitForSwitchAsync(fault, FaultStates.Off);
    }

    [Fact]
    public async Task While_the_switches_cannot_be_read_they_show_as_unknown_and_both_commands_are_disabled()
    {
        var fault = KnownFaults.Find(KnownFaults.InventoryMissingIndex)!;
        await WaitForSwitchAsync(fault, FaultStates.Off);

        // The switches live in Redis: without it the API answers 503, as it cannot answer at all while stopped itself.
        // Stopping the diagnostics service instead would lose the telemetry it keeps for the other tests.
        await Application.StopResourceAsync("cache", Token);
        try
        {
            await WaitForSwitchAsync(fault, FaultStates.Unknown);

            var result = await Application.App.ResourceCommands.ExecuteCommandAsync(fault.Service, SwitchOnCommandName(fault.Name), Token);
            Assert.False(result.Success, "switching a fault on succeeded without the Redis that holds the switches");
        }
        finally
        {
            await Application.StartResourceAsync("cache", CancellationToken.None);
            // Inventory's stock cache is there too: the tests that follow place orders as soon as it has reconnected.
            using var inventory = Application.CreateHttpClient(fault.Service);
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    using var health = await inventory.GetAsync("/health", CancellationToken.None);
                    return health.IsSuccessStatusCode;
                },
                FaultHarness.Deadline,
                "inventory to report its cache healthy again");
        }

        await WaitForSwitchAsync(fault, FaultStates.Off);
    }

    public void Dispose() => _faults.Dispose();

    private async Task ExecuteAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await Application.App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        Assert.True(result.Success, $"{command} on {resource}: {result.Message}");
    }

    private async Task<bool> IsEnabledInApiAsync(string name)
    {
        var faults = await _faults.Dashboard.GetFromJsonAsync<JsonElement>("/api/faults", Token);
        return faults.EnumerateArray().Single(fault => fault.GetProperty("name").GetString() == name).GetProperty("enabled").GetBoolean();
    }

    private CustomResourceSnapshot CurrentSnapshot(string resource) =>
        Application.Notifications.TryGetCurrentState(resource, out var resourceEvent)
            ? resourceEvent.Snapshot
            : throw new InvalidOperationException($"{resource} has no state");

    /// <summary>
    /// The resource's snapshot once it runs and shows the switch as <paramref name="value"/> (the watcher reads the API
    /// every 2 s), with the pair's commands in the matching states.
    /// </summary>
    private async Task<CustomResourceSnapshot> WaitForSwitchAsync(KnownFault fault, string value)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(FaultHarness.Deadline);
        try
        {
            var resourceEvent = await Application.Notifications.WaitForResourceAsync(
                fault.Service,
                resourceEvent => resourceEvent.Snapshot.State?.Text == KnownResourceStates.Running && FaultStates.Read(resourceEvent.Snapshot, fault.Name) == value,
                timeout.Token);
            AssertSwitch(resourceEvent.Snapshot, fault, value);
            return resourceEvent.Snapshot;
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            var shown = Application.Notifications.TryGetCurrentState(fault.Service, out var current) ? FaultStates.Read(current.Snapshot, fault.Name) : null;
            throw new TimeoutException($"{fault.Service} did not show {FaultStates.PropertyName(fault.Name)} = {value} within {FaultHarness.Deadline.TotalSeconds:0} s (it shows {shown ?? "nothing"})");
        }
    }

    /// <summary>The switch as the property shows it, and only the command that changes it enabled (neither while unknown).</summary>
    private static void AssertSwitch(CustomResourceSnapshot snapshot, KnownFault fault, string value)
    {
        Assert.Equal(value, FaultStates.Read(snapshot, fault.Name));
        Assert.Equal(StateWhen(value == FaultStates.Off), Command(snapshot, SwitchOnCommandName(fault.Name)).State);
        Assert.Equal(StateWhen(value == FaultStates.On), Command(snapshot, SwitchOffCommandName(fault.Name)).State);

        static ResourceCommandState StateWhen(bool enabled) => enabled ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;
    }

    private static ResourceCommandSnapshot Command(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Commands.SingleOrDefault(command => command.Name == name)
            ?? throw new Xunit.Sdk.XunitException($"no command {name} among {string.Join(", ", snapshot.Commands.Select(command => command.Name))}");
}
