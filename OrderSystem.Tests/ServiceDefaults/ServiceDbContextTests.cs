using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrderSystem.ServiceDefaults.Data;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.ServiceDefaults;

/// <summary>
/// <c>AddServiceDbContext</c> gives every service's pooled connections statement reuse: statements run often are
/// prepared once per connection and survive the connection's return to the pool, unless the connection string says
/// otherwise.
/// </summary>
public sealed class ServiceDbContextTests
{
    [Trait("Category", "Unit")]
    [Theory]
    [InlineData("Host=db;Username=app", 64, true)]
    [InlineData("Host=db;Username=app;Max Auto Prepare=0", 0, true)]
    [InlineData("Host=db;Username=app;MaxAutoPrepare=8", 8, true)]
    [InlineData("Host=db;Username=app;No Reset On Close=false", 64, false)]
    public void Statement_reuse_is_added_where_the_connection_string_does_not_choose(string connectionString, int maxAutoPrepare, bool noResetOnClose)
    {
        var tuned = new NpgsqlConnectionStringBuilder(NpgsqlDbContextExtensions.WithStatementReuse(connectionString));

        Assert.Equal(maxAutoPrepare, tuned.MaxAutoPrepare);
        Assert.Equal(noResetOnClose, tuned.NoResetOnClose);
        Assert.Equal("db", tuned.Host);
        Assert.Equal("app", tuned.Username);
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task A_statement_run_often_is_prepared_once_and_still_prepared_after_its_connection_went_back_to_the_pool()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var postgres = await PostgresServer.StartAsync(cancellationToken);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:probedb"] = postgres.ConnectionString("postgres"),
            ["Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableTracing"] = "true",
            ["Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableHealthChecks"] = "true",
        });
        builder.AddServiceDbContext<ProbeContext>("probedb");
        using var host = builder.Build();

        // Each run takes a context from EF Core's pool and a connection from Npgsql's, and gives both back.
        for (var run = 0; run < 6; run++)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var answer = await scope.ServiceProvider.GetRequiredService<ProbeContext>().Database
                .SqlQuery<int>($"SELECT {run}::int + 1 AS \"Value\"")
                .SingleAsync(cancellationToken);
            Assert.Equal(run + 1, answer);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var prepared = await scope.ServiceProvider.GetRequiredService<ProbeContext>().Database
                .SqlQuery<string>($"SELECT statement AS \"Value\" FROM pg_prepared_statements")
                .ToListAsync(cancellationToken);
            Assert.Contains(prepared, statement => statement.Contains("::int + 1", StringComparison.Ordinal));
        }
    }

    private sealed class ProbeContext(DbContextOptions<ProbeContext> options) : DbContext(options);
}
