using OrderSystem.Diagnostics;

await DiagnosticsApp.Create(args).RunAsync().ConfigureAwait(false);

/// <summary>The entry point, public so that tests can reference the dashboard's assembly through it.</summary>
public partial class Program;
