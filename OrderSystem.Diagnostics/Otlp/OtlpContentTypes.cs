using Microsoft.Net.Http.Headers;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>The two OTLP/HTTP encodings: binary protobuf and OTLP/JSON.</summary>
public enum OtlpEncoding
{
    Protobuf,
    Json,
}

public static class OtlpContentTypes
{
    public const string Protobuf = "application/x-protobuf";
    public const string Json = "application/json";

    public static bool TryParse(string? contentType, out OtlpEncoding encoding)
    {
        encoding = OtlpEncoding.Protobuf;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        if (mediaType.MediaType.Equals(Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        encoding = OtlpEncoding.Json;
        return mediaType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase);
    }

    public static string Of(OtlpEncoding encoding) => encoding == OtlpEncoding.Json ? Json : Protobuf;
}
