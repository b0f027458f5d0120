namespace OrderSystem.AppHost.Postgres;

/// <summary>
/// The <c>postgres</c> resource whichever way it is backed (Aspire's container, or the local process), so the model
/// declares its databases once, and its read-only role.
/// </summary>
public sealed class PostgresServer(
    IResourceBuilder<IResourceWithConnectionString> server,
    Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase,
    PostgresReaderRole readerRole)
{
    public IResourceBuilder<IResourceWithConnectionString> Resource { get; } = server;

    /// <summary>A login role that may plan any statement and read any table, and change nothing (<see cref="PostgresReaderRole"/>).</summary>
    public PostgresReaderRole ReaderRole { get; } = readerRole;

    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string name) => addDatabase(name);
}
