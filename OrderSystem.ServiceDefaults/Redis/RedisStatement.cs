using System.Text;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// The <c>db.statement</c> of a command: its name, its keys and its option keywords, with every value replaced by
/// <c>?</c> (e.g. <c>SET cart:42 ? EX ?</c>), so no cached data or credential ever reaches a span.
/// </summary>
internal static class RedisStatement
{
    // MGET of many keys would make huge spans; the first part tells the story.
    internal const int MaxLength = 1024;

    public static string Build(scoped in RedisCommand command)
    {
        var text = new StringBuilder(command.Name);
        if (!TryAppendArguments(text, command.Leading))
        {
            return text.ToString();
        }

        foreach (var key in command.Keys)
        {
            if (!TryAppend(text, key))
            {
                return text.ToString();
            }
        }

        TryAppendArguments(text, command.Arguments);
        return text.ToString();
    }

    private static bool TryAppendArguments(StringBuilder text, ReadOnlySpan<RedisValue> arguments)
    {
        foreach (var argument in arguments)
        {
            if (!TryAppend(text, argument.IsKeyword ? argument.ToString() : "?"))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryAppend(StringBuilder text, string word)
    {
        if (text.Length + 1 + word.Length > MaxLength - 4)
        {
            text.Append(" ...");
            return false;
        }

        text.Append(' ').Append(word);
        return true;
    }
}
