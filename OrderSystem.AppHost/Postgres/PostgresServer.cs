namespace OrderSystem.AppHost.Postgres;

/// <summary>
/// The <c>postgres</c> resource whichever way it is backed (Aspire's container, or the local process), so the model
/// declares its databases once.
/// </summary>
public sealed class PostgresServer(IResourceBuilder<IResourceWithConnectionString> server, Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase)
{
    public IResourceBuilder<IResourceWithConnectionString> Resource { get; } = server;

    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string name) => addDatabase(name);
}
