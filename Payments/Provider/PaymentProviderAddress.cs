using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace OrderSystem.Payments.Provider;

/// <summary>
/// Where <see cref="PaymentProviderClient"/> finds the provider: <c>PaymentProvider:BaseUrl</c> when set, else this
/// service's own HTTP address as the server bound it (the simulated provider runs in this process).
/// </summary>
public sealed class PaymentProviderAddress(IOptionsMonitor<PaymentProviderOptions> options, IServer server)
{
    public Uri Resolve()
    {
        if (options.CurrentValue.BaseUrl is { } configured)
        {
            return AsBaseAddress(configured);
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"The payment provider's address is unknown: the server has no HTTP address; set {PaymentProviderOptions.SectionName}__BaseUrl.");

        // A wildcard listen address (http://+:80, http://*:80, http://0.0.0.0:80, http://[::]:80) is not one to call.
        var callable = new UriBuilder(address.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://*:", "://localhost:", StringComparison.Ordinal));
        if (callable.Host is "0.0.0.0" or "[::]")
        {
            callable.Host = "localhost";
        }

        return AsBaseAddress(callable.Uri);
    }

    // Relative request paths resolve under the base address only when it ends with a slash.
    private static Uri AsBaseAddress(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
}
