namespace OrderSystem.Payments.Provider;

/// <summary>
/// Card numbers with a fixed outcome at the simulated provider, like Stripe's test cards; any other valid number is
/// declined with probability <see cref="PaymentProviderOptions.DeclineRate"/>.
/// </summary>
public static class TestCards
{
    public const string AlwaysCaptured = "4242424242424242";
    public const string AlwaysDeclined = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";

    public const string CardDeclinedCode = "card_declined";
    public const string InsufficientFundsCode = "insufficient_funds";

    /// <summary>The outcome fixed for <paramref name="digits"/>: false when it is not a test card.</summary>
    public static bool TryGetOutcome(string digits, out string? declineCode)
    {
        (var known, declineCode) = digits switch
        {
            AlwaysCaptured => (true, null),
            AlwaysDeclined => (true, CardDeclinedCode),
            InsufficientFunds => (true, InsufficientFundsCode),
            _ => (false, (string?)null),
        };
        return known;
    }
}
