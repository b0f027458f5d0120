using Microsoft.Extensions.Options;

namespace OrderSystem.ServiceDefaults.Configuration;

/// <summary>
/// Turns an unhandled <see cref="MissingConfigurationException"/>, or the <see cref="OptionsValidationException"/> of
/// options validated on start, into one clear line on stderr and
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
            if (e.ExceptionObject is MissingConfigurationException or OptionsValidationException)
            {
                Console.Error.WriteLine($"error: {((Exception)e.ExceptionObject).Message}");
                Environment.Exit(ConfigurationErrorExitCode);
            }
        };
    }
}
