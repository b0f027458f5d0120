using OrderSystem.KafkaBroker;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Kafka;

public sealed class LibrdkafkaLoaderTests
{
    private const string MissingLibrary = "/nonexistent/lib/librdkafka.so.1";

    [Fact]
    public void A_missing_library_fails_with_the_path_and_the_install_command()
    {
        var exception = Assert.Throws<LibrdkafkaNotFoundException>(() => LibrdkafkaLoader.EnsureLoaded(MissingLibrary));

        Assert.Equal(
            $"librdkafka not found at {MissingLibrary}: install Debian's librdkafka1 (apt-get install librdkafka1)",
            exception.Message);
    }

    [Fact]
    public void The_mock_cluster_reports_a_missing_library_the_same_way()
    {
        var exception = Assert.Throws<LibrdkafkaNotFoundException>(() => KafkaMockCluster.Start(libraryPath: MissingLibrary));

        Assert.Equal(MissingLibrary, exception.LibraryPath);
    }

    [Fact]
    public void Loading_twice_returns_the_same_handle()
    {
        var first = LibrdkafkaLoader.EnsureLoaded();

        Assert.NotEqual(0, first);
        Assert.Equal(first, LibrdkafkaLoader.EnsureLoaded());
        Assert.Equal("2.0.2", Confluent.Kafka.Library.VersionString);
    }
}
