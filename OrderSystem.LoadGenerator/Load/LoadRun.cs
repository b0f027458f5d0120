using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Gateway;
using OrderSystem.LoadGenerator.Reporting;
using OrderSystem.LoadGenerator.Results;
using OrderSystem.LoadGenerator.Scenarios;
using Spectre.Console;

namespace OrderSystem.LoadGenerator.Load;

/// <summary>
/// One run: fetches the catalogue (which also proves the Gateway is there and takes the key), drives the scenarios
/// with the chosen load model through warm-up and measurement while showing progress, and returns the result.
/// </summary>
public sealed class LoadRun(LoadSettings settings, IAnsiConsole console, TimeProvider timeProvider)
{
    /// <exception cref="LoadRunException">The run could not happen.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the load started.</exception>
    public async Task<LoadResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        using var gateway = new GatewayClient(settings.Target.Gateway, settings.Target.ApiKey, settings.RequestTimeout, timeProvider);
        var catalogue = await Catalogue.LoadAsync(gateway, settings.Skus, timeProvider, cancellationToken).ConfigureAwait(false);
        if (catalogue.Count == 0 && settings.Skus is not null && settings.Mix.WeightOf(ScenarioKind.Order) > 0)
        {
            throw new LoadRunException($"none of --skus ({string.Join(",", settings.Skus)}) is in the catalogue of the Gateway at {settings.Target.Gateway}");
        }

        if (catalogue.Count == 0 && settings.Mix.WeightOf(ScenarioKind.Order) > 0)
        {
            throw new LoadRunException($"the Gateway at {settings.Target.Gateway} lists no products, so no order can be placed; seed the catalogue or leave order out of --mix");
        }

        console.WriteLine(Describe(catalogue));
        var startedAt = timeProvider.GetUtcNow();
        var schedule = new RunSchedule(timeProvider, settings.Warmup, settings.Duration);
        var userOrders = new UserOrders();
        var executor = new ScenarioExecutor(
            [new BrowseScenario(catalogue), new OrderScenario(catalogue, userOrders, settings.DeclinedRate), new ReadScenario(userOrders)],
            gateway,
            schedule,
            timeProvider);
        var planner = new ScenarioPlanner(settings.Mix, settings.Users, settings.Seed);
        ILoadModel model = settings.Model == LoadModelKind.Open
            ? new OpenLoadModel(settings.Rate, settings.MaxInFlight, timeProvider)
            : new ClosedLoadModel(settings.Concurrency, timeProvider);

        var run = model.RunAsync(executor, planner, schedule, cancellationToken);
        await new ProgressDisplay(console, timeProvider).ShowWhileAsync(run, () => ProgressOf(schedule, executor)).ConfigureAwait(false);
        // A finished open-model run can end a little before the schedule (its last arrival is just before the end),
        // yet it covered the whole duration.
        var interrupted = cancellationToken.IsCancellationRequested;
        var measured = interrupted ? schedule.MeasuredElapsed : settings.Duration;
        return LoadResultBuilder.Build(settings, executor.Measured, measured, startedAt, interrupted);
    }

    private RunProgress ProgressOf(RunSchedule schedule, ScenarioExecutor executor)
    {
        var now = timeProvider.GetTimestamp();
        var warmingUp = schedule.IsWarmup(now);
        var elapsed = warmingUp ? schedule.Elapsed : schedule.MeasuredElapsed;
        var phase = warmingUp ? executor.Warmup.Snapshot(elapsed) : executor.Measured.Snapshot(elapsed);
        return new RunProgress(warmingUp, schedule.Elapsed, settings.Warmup + settings.Duration, executor.InFlight, phase);
    }

    private string Describe(Catalogue catalogue)
    {
        var load = settings.Model == LoadModelKind.Open
            ? $"Open model, {Figures.Rate(settings.Rate)} scenario runs/s"
            : $"Closed model, {settings.Concurrency} virtual users";
        return $"Gateway {settings.Target.Gateway}: {catalogue.Count} products ({catalogue.InStockCount} in stock). {load}, mix {settings.Mix},"
            + $" {DurationText.Format(settings.Warmup)} warm-up + {DurationText.Format(settings.Duration)}, {settings.Users} users, seed {settings.Seed}.";
    }
}
