namespace OrderSystem.ServiceDefaults.Configuration;

/// <summary>
/// Turns an unhandled <see cref="MissingConfigurationException"/> into one clear line on stderr and
/// exit code 78 (EX_CONFIG), so a misconfigured service says what to fix instead of printing a stack trace.
/// </summary>
public static class StartupConfigurationGuard
{
    public const int ConfigurationErrorExitCode = 78;
    private static int _installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is MissingConfigurationException missing)
            {
                Console.Error.WriteLine($"error: {missing.Message}");
                Environment.Exit(ConfigurationErrorExitCode);
            }
        };
    }
}
