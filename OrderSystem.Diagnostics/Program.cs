using OrderSystem.Diagnostics;
using OrderSystem.ServiceDefaults.Configuration;

// A missing token or key stops the service at start with one line naming the setting.
StartupConfigurationGuard.Install();
await DiagnosticsApp.Create(args).RunAsync().ConfigureAwait(false);

/// <summary>The entry point, public so that tests can reference the dashboard's assembly through it.</summary>
public partial class Program;
