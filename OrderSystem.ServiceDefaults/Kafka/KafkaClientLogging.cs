using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>Routes librdkafka's own log lines and client errors to ILogger instead of stderr.</summary>
internal static partial class KafkaClientLogging
{
    public static void Log(ILogger logger, LogMessage message) =>
        LibrdkafkaLog(logger, ToLogLevel(message.Level), message.Name, message.Facility, message.Message);

    public static void Error(ILogger logger, Error error)
    {
        // librdkafka reconnects by itself; only fatal errors leave the client unusable.
        var level = error.IsFatal ? LogLevel.Error : LogLevel.Warning;
        ClientError(logger, level, error.Code, error.Reason);
    }

    private static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [LoggerMessage(Message = "librdkafka {Client} {Facility}: {Text}")]
    private static partial void LibrdkafkaLog(ILogger logger, LogLevel level, string client, string facility, string text);

    [LoggerMessage(Message = "Kafka client error {Code}: {Reason}")]
    private static partial void ClientError(ILogger logger, LogLevel level, ErrorCode code, string reason);
}
