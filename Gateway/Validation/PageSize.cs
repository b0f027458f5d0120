namespace OrderSystem.Gateway.Validation;

/// <summary>The <c>pageSize</c> query parameter of the list endpoints.</summary>
public static class PageSize
{
    public const string ParameterName = "pageSize";
    public const int Max = 100;

    /// <summary>The size to ask for, or an error in <paramref name="errors"/> when it is outside 1..<see cref="Max"/>.</summary>
    public static int Validate(int? pageSize, int defaultSize, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (pageSize is < 1 or > Max)
        {
            errors[ParameterName] = [$"{ParameterName} must be between 1 and {Max}."];
        }

        return pageSize ?? defaultSize;
    }
}
