namespace OrderSystem.Tests.Infrastructure;

/// <summary>One password-less redis-server shared by the tests of a class.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One redis-server with <c>requirepass</c> shared by the tests of a class.</summary>
public sealed class PasswordRedisServerFixture : IAsyncLifetime
{
    public const string Password = "s3cret-test-pass";

    public RedisServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await RedisServer.StartAsync(Password);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
