using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Tests.Grpc;

public sealed class MetadataTests
{
    [Fact]
    public void Keys_are_lower_cased_and_values_kept()
    {
        var metadata = new Metadata { { "X-Tenant", "acme" }, { "x-id-bin", new byte[] { 1, 2 } } };

        Assert.Equal("acme", metadata.GetValue("x-tenant"));
        Assert.Equal(new byte[] { 1, 2 }, metadata.GetBinaryValue("x-id-bin"));
        Assert.Equal(["x-tenant", "x-id-bin"], metadata.Select(entry => entry.Key));
    }

    [Theory]
    [InlineData("x tenant")]
    [InlineData("x-tenant:")]
    [InlineData("grpc-status")]
    [InlineData("content-type")]
    [InlineData(":path")]
    public void Invalid_or_reserved_keys_are_refused(string key)
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { key, "value" } });
    }

    [Fact]
    public void Text_values_must_be_printable_ascii_and_binary_values_need_a_bin_key()
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { "x-name", "café" } });
        Assert.Throws<ArgumentException>(() => new Metadata { { "x-name", "line\nbreak" } });
        Assert.Throws<ArgumentException>(() => new Metadata { { "x-name", new byte[] { 1 } } });
        Assert.Throws<ArgumentException>(() => new Metadata { { "x-name-bin", "text" } });
    }
}
