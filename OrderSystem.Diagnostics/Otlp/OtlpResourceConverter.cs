using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>OTLP resources and instrumentation scopes as the shared <see cref="ResourceInfo"/> and <see cref="ScopeInfo"/>.</summary>
public sealed class OtlpResourceConverter(OtlpAttributeConverter attributes, ResourceCatalog catalog, StringPool pool)
{
    public ResourceInfo Convert(Resource? resource) =>
        catalog.GetResource(resource is null ? [] : attributes.Convert(resource.Attributes));

    public ScopeInfo Convert(InstrumentationScope? scope) =>
        catalog.GetScope(pool.Intern(scope?.Name ?? string.Empty), pool.Intern(scope?.Version ?? string.Empty));
}
