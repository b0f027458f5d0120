using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Points Confluent.Kafka 1.9.3 at Debian's librdkafka1 (2.0.2): the librdkafka.redist package that normally ships the
/// native library does not restore here, and Confluent.Kafka 2.x needs a newer librdkafka than Debian has.
/// </summary>
public static class LibrdkafkaLoader
{
    public const string DebianLibraryPath = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1";

    private static readonly Lock Gate = new();
    private static nint _handle;

    /// <inheritdoc cref="EnsureLoaded(string)"/>
    public static nint EnsureLoaded() => EnsureLoaded(DebianLibraryPath);

    /// <summary>
    /// Loads librdkafka from <paramref name="libraryPath"/> the first time it is called; later calls return the handle
    /// loaded first. Call it before building any Confluent.Kafka client.
    /// </summary>
    /// <returns>The native library handle, for callers that bind further exports (the mock cluster).</returns>
    /// <exception cref="LibrdkafkaNotFoundException">No file at <paramref name="libraryPath"/>.</exception>
    public static nint EnsureLoaded(string libraryPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(libraryPath);
        // Checked on every call so a wrong path always fails the same way, whether or not a library is loaded already.
        if (!File.Exists(libraryPath))
        {
            throw new LibrdkafkaNotFoundException(libraryPath);
        }

        lock (Gate)
        {
            if (_handle != 0)
            {
                return _handle;
            }

            var handle = NativeLibrary.Load(libraryPath);
            // Confluent.Kafka imports "librdkafka" and, to dlopen it on Linux, "libdl", which glibc only ships as libdl.so.2.
            NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) => name switch
            {
                _ when name.Contains("rdkafka", StringComparison.Ordinal) => handle,
                "libdl" => NativeLibrary.Load("libdl.so.2"),
                _ => 0,
            });
            Library.Load(libraryPath);
            _handle = handle;
            return handle;
        }
    }
}

/// <summary>librdkafka is not installed where it was looked for; the message says how to install it.</summary>
public sealed class LibrdkafkaNotFoundException(string libraryPath)
    : Exception($"librdkafka not found at {libraryPath}: install Debian's librdkafka1 (apt-get install librdkafka1)")
{
    public string LibraryPath { get; } = libraryPath;
}
