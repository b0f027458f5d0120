namespace OrderSystem.ServiceDefaults.Configuration;

/// <summary>
/// A setting the service cannot start without. Its message names the setting and the fix, and
/// <see cref="StartupConfigurationGuard"/> prints it as one line instead of a stack trace.
/// </summary>
public sealed class MissingConfigurationException(string message) : Exception(message);
