namespace OrderSystem.LoadGenerator;

/// <summary>The run could not happen (the Gateway cannot be reached, refuses the key, has nothing to order); exit code 1.</summary>
public sealed class LoadRunException(string message) : Exception(message);
