using System.Diagnostics;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>Reading an in-process span's tags under the semantic conventions' current name or the older one.</summary>
internal static class ActivityTags
{
    /// <summary>A database span's statement (<c>db.query.text</c>, or the older <c>db.statement</c>).</summary>
    public static string? Statement(Activity span) => (span.GetTagItem("db.query.text") ?? span.GetTagItem("db.statement")) as string;
}
