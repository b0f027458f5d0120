using Microsoft.Extensions.Configuration;

namespace OrderSystem.Tests.Payments;

/// <summary>A configuration source the tests change while the service runs, as an edited appsettings.json would.</summary>
public sealed class RuntimeSettings : ConfigurationProvider, IConfigurationSource
{
    private readonly IReadOnlyDictionary<string, string?> _initial;

    public RuntimeSettings(IReadOnlyDictionary<string, string?> initial)
    {
        _initial = initial;
        foreach (var (key, value) in initial)
        {
            Data[key] = value;
        }
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Runs <paramref name="action"/> with a setting changed, then puts the setting back.</summary>
    public async Task<T> WithAsync<T>(string key, string value, Func<Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Change(key, value);
        try
        {
            return await action();
        }
        finally
        {
            Change(key, _initial.GetValueOrDefault(key));
        }
    }

    public Task WithAsync(string key, string value, Func<Task> action) =>
        WithAsync(key, value, async () =>
        {
            await action();
            return true;
        });

    /// <summary>Changes a setting and signals the change, so IOptionsMonitor readers see it on their next read.</summary>
    private void Change(string key, string? value)
    {
        Data[key] = value;
        OnReload();
    }
}
