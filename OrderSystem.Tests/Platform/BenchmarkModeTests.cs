using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// <c>OrderSystem:Benchmark</c> and <c>OrderSystem:Tracing</c> (OrderSystem.AppHost/Infrastructure/BenchmarkMode.cs)
/// change exactly the environment they are for, and nothing when they are not given. The AppHost's model is built,
/// not started: each resource's environment is its execution configuration for the publish operation, in which values
/// that refer to endpoints or parameters are their expressions.
/// </summary>
[Trait("Category", "Unit")]
public sealed class BenchmarkModeTests
{
    private static readonly string[] Projects = ["diagnostics", "inventory", "payments", "orders", "notifications", "gateway", "messaging"];

    [Fact]
    public async Task Benchmark_mode_lifts_the_gateway_rate_limit_and_the_simulated_provider_costs_tail_samples_in_the_trace_backend_and_changes_nothing_else()
    {
        var plain = await EnvironmentsAsync();
        var benchmark = await EnvironmentsAsync("OrderSystem:Benchmark=true");

        var expected = new Dictionary<string, Dictionary<string, string?>>
        {
            ["gateway"] = new() { ["RateLimiting__PermitsPerSecond"] = "1000000", ["RateLimiting__Burst"] = "1000000" },
            ["payments"] = new() { ["PaymentProvider__LatencyMs"] = "0", ["PaymentProvider__FailureRate"] = "0", ["PaymentProvider__DeclineRate"] = "0" },
            ["diagnostics"] = new() { ["Diagnostics__TailSampling__Enabled"] = "true", ["Diagnostics__TailSampling__RatioSpansPerSecond"] = "30" },
        };
        Assert.Equivalent(expected, Changes(plain, benchmark), strict: true);
    }

    [Fact]
    public async Task Without_the_switches_no_resource_gets_a_benchmark_setting_or_a_sampler_of_ours()
    {
        var plain = await EnvironmentsAsync();
        var explicitlyOff = await EnvironmentsAsync("OrderSystem:Benchmark=false");

        Assert.Empty(Changes(plain, explicitlyOff));
        Assert.All(plain, resource => Assert.DoesNotContain(resource.Value.Keys, key =>
            key.StartsWith("RateLimiting__", StringComparison.Ordinal) || key.StartsWith("PaymentProvider__", StringComparison.Ordinal)
            || key.StartsWith("Diagnostics__TailSampling__", StringComparison.Ordinal)));
        Assert.All(plain, resource => Assert.NotEqual("always_off", resource.Value.GetValueOrDefault("OTEL_TRACES_SAMPLER")));
    }

    [Theory]
    [InlineData("off", "always_off")]
    [InlineData("on", "always_on")]
    public async Task Tracing_sets_the_sampler_of_every_project_and_nothing_else(string tracing, string sampler)
    {
        var plain = await EnvironmentsAsync();
        var switched = await EnvironmentsAsync($"OrderSystem:Tracing={tracing}");

        Assert.All(Projects, project => Assert.Equal(sampler, switched[project]["OTEL_TRACES_SAMPLER"]));
        var changes = Changes(plain, switched);
        Assert.All(changes, change =>
        {
            Assert.Contains(change.Key, Projects);
            Assert.Equal(["OTEL_TRACES_SAMPLER"], change.Value.Keys);
        });
    }

    [Fact]
    public async Task An_unknown_tracing_value_stops_the_apphost_with_the_key_and_its_values()
    {
        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => EnvironmentsAsync("OrderSystem:Tracing=sometimes"));

        Assert.Contains("OrderSystem:Tracing", error.Message, StringComparison.Ordinal);
        Assert.Contains("'sometimes'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every resource's environment, by resource name, from the AppHost's model built with these settings.</summary>
    private static async Task<Dictionary<string, Dictionary<string, string>>> EnvironmentsAsync(params string[] settings)
    {
        var state = TestRepository.CreateStateDirectory("benchmark-mode");
        try
        {
            var cancellationToken = TestContext.Current.CancellationToken;
            // Processes: no container runtime probe; the model is only read.
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderSystem_AppHost>(
                [$"ORDERSYSTEM_STATE_DIR={state}", "OrderSystem:Infrastructure=Processes", .. settings], cancellationToken);
            await using var app = await builder.BuildAsync(cancellationToken);
            // The publish operation gives each value as its expression, so nothing waits for an endpoint to be allocated.
            var publish = new DistributedApplicationExecutionContext(new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish)
            {
                Services = app.Services,
            });
            var environments = new Dictionary<string, Dictionary<string, string>>();
            foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<IResourceWithEnvironment>())
            {
                var configuration = await ExecutionConfigurationBuilder.Create(resource)
                    .WithEnvironmentVariablesConfig()
                    .BuildAsync(publish, NullLogger.Instance, cancellationToken);
                Assert.Null(configuration.Exception);
                environments[resource.Name] = configuration.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value);
            }

            return environments;
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Per resource, the variables that <paramref name="after"/> adds or changes (their new value) or removes (null).</summary>
    private static Dictionary<string, Dictionary<string, string?>> Changes(
        Dictionary<string, Dictionary<string, string>> before,
        Dictionary<string, Dictionary<string, string>> after)
    {
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        var changes = new Dictionary<string, Dictionary<string, string?>>();
        foreach (var (name, environment) in after)
        {
            var previous = before[name];
            var changed = environment.Where(variable => !previous.TryGetValue(variable.Key, out var value) || value != variable.Value)
                .Select(variable => KeyValuePair.Create(variable.Key, (string?)variable.Value))
                .Concat(previous.Keys.Except(environment.Keys).Select(key => KeyValuePair.Create(key, (string?)null)))
                .ToDictionary();
            if (changed.Count > 0)
            {
                changes[name] = changed;
            }
        }

        return changes;
    }
}
