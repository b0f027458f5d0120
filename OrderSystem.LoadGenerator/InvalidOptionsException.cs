namespace OrderSystem.LoadGenerator;

/// <summary>The options (or the endpoints file they point at) do not describe a run; the message is one line. Exit code 2.</summary>
public sealed class InvalidOptionsException(string message) : Exception(message);
