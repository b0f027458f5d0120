using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace OrderSystem.KafkaBroker;

/// <summary>
/// librdkafka's built-in mock cluster: real Kafka brokers on the wire (produce, fetch, consumer groups, offset commits,
/// idempotent producers) that keep messages in memory. Each broker listens on a free port of 127.0.0.1; topics are
/// created on first use with 4 partitions.
/// </summary>
public sealed unsafe class KafkaMockCluster : IDisposable
{
    private const int ProducerClientType = 0;
    private const int NoError = 0;

    private readonly MockApi _api;
    private nint _client;
    private nint _cluster;

    private KafkaMockCluster(MockApi api, nint client, nint cluster, int brokerCount)
    {
        BrokerCount = brokerCount;
        _api = api;
        _client = client;
        _cluster = cluster;
        BootstrapServers = Marshal.PtrToStringUTF8(_api.Bootstraps(cluster))
            ?? throw new InvalidOperationException("librdkafka returned no bootstrap servers for the mock cluster");
    }

    /// <summary><c>host:port[,host:port...]</c>, the value for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>How many brokers the cluster has; their ids are 1..<see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokerCount"/> brokers (ids 1..n).</summary>
    public static KafkaMockCluster Start(int brokerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        var api = new MockApi(LoadBundledLibrdkafka());

        // The mock cluster lives inside a client instance; a producer is the lightest one. Errors only, because it has
        // no bootstrap.servers of its own and would warn about that.
        var configuration = api.ConfNew();
        SetConfiguration(api, configuration, "log_level", "3");
        var error = stackalloc byte[512];
        var client = api.New(ProducerClientType, configuration, error, 512);
        if (client == 0)
        {
            api.ConfDestroy(configuration);
            throw new InvalidOperationException($"librdkafka could not create the mock cluster's client: {Marshal.PtrToStringUTF8((nint)error)}");
        }

        var cluster = api.MockClusterNew(client, brokerCount);
        if (cluster == 0)
        {
            api.Destroy(client);
            throw new InvalidOperationException("librdkafka could not create the mock cluster");
        }

        return new KafkaMockCluster(api, client, cluster, brokerCount);
    }

    /// <summary>Creates <paramref name="topic"/> with a chosen partition count (auto-created topics get 4).</summary>
    public void CreateTopic(string topic, int partitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        fixed (byte* name = NullTerminated(topic))
        {
            ThrowOnError(_api.TopicCreate(_cluster, name, partitions, 1), $"create topic '{topic}'");
        }
    }

    /// <summary>Takes broker <paramref name="brokerId"/> down: it closes its connections and refuses new ones until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId)
    {
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        ThrowOnError(_api.BrokerSetDown(_cluster, brokerId), $"take broker {brokerId} down");
    }

    public void SetBrokerUp(int brokerId)
    {
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        ThrowOnError(_api.BrokerSetUp(_cluster, brokerId), $"bring broker {brokerId} up");
    }

    public void Dispose()
    {
        if (_cluster == 0)
        {
            return;
        }

        _api.MockClusterDestroy(_cluster);
        _api.Destroy(_client);
        _cluster = 0;
        _client = 0;
    }

    private static void SetConfiguration(MockApi api, nint configuration, string name, string value)
    {
        var error = stackalloc byte[512];
        fixed (byte* namePointer = NullTerminated(name))
        fixed (byte* valuePointer = NullTerminated(value))
        {
            if (api.ConfSet(configuration, namePointer, valuePointer, error, 512) != NoError)
            {
                throw new InvalidOperationException($"librdkafka rejected {name}={value}: {Marshal.PtrToStringUTF8((nint)error)}");
            }
        }
    }

    private void ThrowOnError(int errorCode, string operation)
    {
        if (errorCode != NoError)
        {
            throw new InvalidOperationException($"mock cluster could not {operation}: {Marshal.PtrToStringUTF8(_api.ErrorToString(errorCode))}");
        }
    }

    /// <summary>
    /// The librdkafka that librdkafka.redist ships and Confluent.Kafka loads. Confluent.Kafka does not expose the mock
    /// cluster's exports, so they are bound from the same file: the package's variants (runtimes/linux-x64/native), in
    /// the order Confluent.Kafka tries them, the first that loads. On Debian that is centos8-librdkafka.so: the plain
    /// build links libsasl2.so.3, which Debian does not ship.
    /// </summary>
    private static nint LoadBundledLibrdkafka()
    {
        Library.Load();
        foreach (var name in (string[])["librdkafka", "centos8-librdkafka", "alpine-librdkafka"])
        {
            if (NativeLibrary.TryLoad(name, typeof(Library).Assembly, searchPath: null, out var handle)
                && NativeLibrary.TryGetExport(handle, "rd_kafka_mock_cluster_new", out _))
            {
                return handle;
            }
        }

        throw new DllNotFoundException("librdkafka from librdkafka.redist was not found in runtimes/<rid>/native next to Confluent.Kafka");
    }

    private static byte[] NullTerminated(string value) => Encoding.UTF8.GetBytes(value + '\0');

    /// <summary>The librdkafka exports the mock cluster needs, bound once from the handle Confluent.Kafka uses too.</summary>
    private sealed class MockApi(nint library)
    {
        public readonly delegate* unmanaged<nint> ConfNew = (delegate* unmanaged<nint>)Export(library, "rd_kafka_conf_new");
        public readonly delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int> ConfSet = (delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int>)Export(library, "rd_kafka_conf_set");
        public readonly delegate* unmanaged<nint, void> ConfDestroy = (delegate* unmanaged<nint, void>)Export(library, "rd_kafka_conf_destroy");
        public readonly delegate* unmanaged<int, nint, byte*, nuint, nint> New = (delegate* unmanaged<int, nint, byte*, nuint, nint>)Export(library, "rd_kafka_new");
        public readonly delegate* unmanaged<nint, void> Destroy = (delegate* unmanaged<nint, void>)Export(library, "rd_kafka_destroy");
        public readonly delegate* unmanaged<int, nint> ErrorToString = (delegate* unmanaged<int, nint>)Export(library, "rd_kafka_err2str");
        public readonly delegate* unmanaged<nint, int, nint> MockClusterNew = (delegate* unmanaged<nint, int, nint>)Export(library, "rd_kafka_mock_cluster_new");
        public readonly delegate* unmanaged<nint, nint> Bootstraps = (delegate* unmanaged<nint, nint>)Export(library, "rd_kafka_mock_cluster_bootstraps");
        public readonly delegate* unmanaged<nint, void> MockClusterDestroy = (delegate* unmanaged<nint, void>)Export(library, "rd_kafka_mock_cluster_destroy");
        public readonly delegate* unmanaged<nint, byte*, int, int, int> TopicCreate = (delegate* unmanaged<nint, byte*, int, int, int>)Export(library, "rd_kafka_mock_topic_create");
        public readonly delegate* unmanaged<nint, int, int> BrokerSetDown = (delegate* unmanaged<nint, int, int>)Export(library, "rd_kafka_mock_broker_set_down");
        public readonly delegate* unmanaged<nint, int, int> BrokerSetUp = (delegate* unmanaged<nint, int, int>)Export(library, "rd_kafka_mock_broker_set_up");

        private static nint Export(nint library, string name) => NativeLibrary.GetExport(library, name);
    }
}
