using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrderSystem.AppHost.Services;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.AppHost.Faults;

public static class FaultCommandExtensions
{
    public static string SwitchOnCommandName(string fault) => $"{fault}-on";

    public static string SwitchOffCommandName(string fault) => $"{fault}-off";

    /// <summary>
    /// Puts the switches of the faults that act on this resource (<see cref="KnownFaults"/> by service name) in its
    /// actions in the Aspire dashboard: for each a pair of commands, of which only the one that changes something is
    /// enabled, and a <c>fault.NAME</c> property that shows the switch (<see cref="FaultStates"/>). The commands call the
    /// diagnostics service's fault API, which keeps the switches and their side effects in one place.
    /// </summary>
    public static IResourceBuilder<T> WithFaultCommands<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProjectResource> diagnostics)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var faults = KnownFaults.All.Where(fault => fault.Service == builder.Resource.Name).ToArray();
        if (faults.Length == 0)
        {
            throw new InvalidOperationException($"No known fault acts on '{builder.Resource.Name}' (KnownFaults.All names the resource of each).");
        }

        AddFaultSwitchServices(builder.ApplicationBuilder, diagnostics);
        foreach (var fault in faults)
        {
            var text = FaultCommandTexts.ByFault.TryGetValue(fault.Name, out var found)
                ? found
                : throw new InvalidOperationException($"The fault '{fault.Name}' has no entry in FaultCommandTexts.ByFault.");
            builder
                .WithCommand(SwitchOnCommandName(fault.Name), text.SwitchOn, context => SwitchAsync(context, fault, enabled: true), new CommandOptions
                {
                    Description = fault.Description,
                    ConfirmationMessage = text.Confirmation,
                    IconName = text.SwitchOnIcon,
                    UpdateState = context => StateOf(context, fault, enabled: true),
                })
                .WithCommand(SwitchOffCommandName(fault.Name), text.SwitchOff, context => SwitchAsync(context, fault, enabled: false), new CommandOptions
                {
                    Description = $"Switches {fault.Name} off.",
                    IconName = text.SwitchOffIcon,
                    UpdateState = context => StateOf(context, fault, enabled: false),
                });
        }

        return builder;
    }

    /// <summary>Once per application, however many resources carry fault commands.</summary>
    private static void AddFaultSwitchServices(IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> diagnostics)
    {
        var token = builder.Resources.OfType<ParameterResource>().SingleOrDefault(parameter => parameter.Name == DiagnosticsExtensions.TokenParameterName)
            ?? throw new InvalidOperationException($"The fault commands call the diagnostics API with the '{DiagnosticsExtensions.TokenParameterName}' parameter, which AddDiagnostics adds.");
        var endpoint = diagnostics.GetEndpoint("http");
        builder.Services.AddHttpClient();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(services => new FaultSwitchClient(services.GetRequiredService<IHttpClientFactory>(), endpoint, token));
        builder.Services.TryAddSingleton<FaultStates>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FaultStateWatcher>());
    }

    private static async Task<ExecuteCommandResult> SwitchAsync(ExecuteCommandContext context, KnownFault fault, bool enabled)
    {
        var client = context.Services.GetRequiredService<FaultSwitchClient>();
        try
        {
            var stored = await client.SetAsync(fault.Name, enabled, context.CancellationToken);
            await context.Services.GetRequiredService<FaultStates>().PublishSetAsync(stored, context.CancellationToken);
            return CommandResults.Success($"{fault.Name} is {(stored.Enabled ? FaultStates.On : FaultStates.Off)}.");
        }
        catch (Exception exception) when (FaultSwitchClient.IsUnanswered(exception, context.CancellationToken))
        {
            return CommandResults.Failure($"{fault.Name} could not be switched {(enabled ? FaultStates.On : FaultStates.Off)}: {exception.Message}");
        }
    }

    /// <summary>
    /// Enabled while the resource runs and the switch is known to be the other way; the switch is unknown (both
    /// disabled) until the diagnostics service first answers and while it does not.
    /// </summary>
    private static ResourceCommandState StateOf(UpdateCommandStateContext context, KnownFault fault, bool enabled) =>
        context.ResourceSnapshot.State?.Text == KnownResourceStates.Running
        && FaultStates.Read(context.ResourceSnapshot, fault.Name) == (enabled ? FaultStates.Off : FaultStates.On)
            ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;
}
