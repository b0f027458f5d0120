using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

public sealed class RedisStatementTests
{
    [Fact]
    public void Shows_keys_and_keywords_and_hides_values()
    {
        var statement = RedisStatement.Build(new RedisCommand("SET", ["cart:42"], ["card=4111111111111111", RedisValue.Keyword("EX"), 30L, RedisValue.Keyword("NX")]));

        Assert.Equal("SET cart:42 ? EX ? NX", statement);
    }

    [Fact]
    public void Hides_every_argument_that_is_not_a_known_key()
    {
        Assert.Equal("AUTH ? ?", RedisStatement.Build(new RedisCommand("AUTH", [], ["admin", "password"])));
    }

    [Fact]
    public void A_script_shows_its_key_count_and_keys_but_not_its_body_or_arguments()
    {
        var statement = RedisStatement.Build(new RedisCommand("EVAL", ["return redis.call('GET', KEYS[1])", RedisValue.Keyword("2")], ["a:1", "a:2"], ["secret", 7L]));

        Assert.Equal("EVAL ? 2 a:1 a:2 ? ?", statement);
    }

    [Fact]
    public void Long_key_lists_are_truncated()
    {
        var keys = Enumerable.Range(0, 500).Select(i => $"product:{i:D6}").ToArray();

        var statement = RedisStatement.Build(new RedisCommand("MGET", keys));

        Assert.True(statement.Length <= RedisStatement.MaxLength, $"{statement.Length} characters");
        Assert.StartsWith("MGET product:000000 product:000001 ", statement, StringComparison.Ordinal);
        Assert.EndsWith(" ...", statement, StringComparison.Ordinal);
    }
}
