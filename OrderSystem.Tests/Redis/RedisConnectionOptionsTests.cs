using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

public sealed class RedisConnectionOptionsTests
{
    [Fact]
    public void Parses_host_and_port_with_defaults()
    {
        var options = RedisConnectionOptions.Parse("cache.internal:6380");

        Assert.Equal("cache.internal", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Null(options.Password);
        Assert.Null(options.User);
        Assert.Equal(0, options.DefaultDatabase);
        Assert.Equal(RedisConnectionOptions.DefaultConnectTimeout, options.ConnectTimeout);
    }

    [Fact]
    public void Parses_aspire_style_options_case_insensitively()
    {
        var options = RedisConnectionOptions.Parse("localhost:6379, Password=p@ss:word ,user=svc,DEFAULTDATABASE=3,ssl=false,abortConnect=False,connectTimeout=1500");

        Assert.Equal("localhost", options.Host);
        Assert.Equal("p@ss:word", options.Password);
        Assert.Equal("svc", options.User);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
    }

    [Fact]
    public void A_missing_port_defaults_to_6379()
    {
        Assert.Equal(6379, RedisConnectionOptions.Parse("redis,password=x").Port);
    }

    [Theory]
    [InlineData("[::1]:7000", "::1", 7000)]
    [InlineData("[::1]", "::1", 6379)]
    [InlineData("::1", "::1", 6379)]
    public void Parses_ipv6_endpoints(string connectionString, string host, int port)
    {
        var options = RedisConnectionOptions.Parse(connectionString);

        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
    }

    [Fact]
    public void Ignores_unknown_keys()
    {
        var options = RedisConnectionOptions.Parse("127.0.0.1:6379,syncTimeout=100,name=orders,allowAdmin=true");

        Assert.Equal(6379, options.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("  ", "empty")]
    [InlineData("password=x", "no 'host:port' endpoint")]
    [InlineData("localhost:0", "invalid port '0'")]
    [InlineData("localhost:70000", "invalid port '70000'")]
    [InlineData("localhost:abc", "invalid port 'abc'")]
    [InlineData(":6379", "has no host")]
    [InlineData("[::1", "not a valid '[ipv6]:port'")]
    [InlineData("localhost,defaultDatabase=-1", "invalid defaultDatabase '-1'")]
    [InlineData("localhost,defaultDatabase=two", "invalid defaultDatabase 'two'")]
    [InlineData("localhost,connectTimeout=0", "invalid connectTimeout '0'")]
    [InlineData("localhost,ssl=maybe", "invalid ssl 'maybe'")]
    [InlineData("localhost,abortConnect=1", "invalid abortConnect '1'")]
    [InlineData("localhost,ssl=true", "plain TCP only")]
    [InlineData("a:1,b:2", "more than one endpoint")]
    public void Invalid_connection_strings_throw_a_clear_format_exception(string connectionString, string expected)
    {
        var exception = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse(connectionString));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_never_echo_the_password()
    {
        var exception = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse("localhost:bad,password=hunter2"));

        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_masks_the_password()
    {
        var text = RedisConnectionOptions.Parse("localhost:6379,password=hunter2,defaultDatabase=2").ToString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Equal("localhost:6379,password=*****,defaultDatabase=2,connectTimeout=5000", text);
    }

    [Fact]
    public void EndPoint_brackets_ipv6_hosts()
    {
        Assert.Equal("[::1]:6379", RedisConnectionOptions.Parse("[::1]:6379").EndPoint);
        Assert.Equal("localhost:6379", RedisConnectionOptions.Parse("localhost").EndPoint);
    }

    [Fact]
    public void Options_built_in_code_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisConnectionOptions { Port = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisConnectionOptions { DefaultDatabase = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisConnectionOptions { ConnectTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentException>(() => new RedisConnectionOptions { Host = " " });
    }
}
