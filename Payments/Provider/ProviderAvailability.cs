namespace OrderSystem.Payments.Provider;

/// <summary>What the simulated provider does with a call before it decides anything.</summary>
public enum ProviderAvailability
{
    /// <summary>It goes on to decide (charge, decline, refund).</summary>
    Responds,

    /// <summary>It answers 503 (<see cref="PaymentProviderOptions.FailureRate"/>).</summary>
    Unavailable,

    /// <summary>It resets the connection: the caller gets no answer at all.</summary>
    ConnectionReset,
}
