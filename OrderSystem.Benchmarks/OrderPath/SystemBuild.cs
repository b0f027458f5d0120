namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// A build of the system that the benchmark starts: the working tree it is built in, its label in the results, and the
/// prefix of its files (state folder, load generator results and logs), so that two builds' files stay apart.
/// </summary>
public sealed record SystemBuild(string Root, string Label, string FilePrefix)
{
    /// <summary>The label of a system the benchmark did not start, whose build it does not know.</summary>
    public const string RunningLabel = "running system";

    /// <summary>The working tree the benchmark runs from: <c>this tree (commit)</c>, <c>+changes</c> when it differs from the commit.</summary>
    public static async Task<SystemBuild> ThisTreeAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var commit = await GitWorktree.ShortCommitAsync(repositoryRoot, cancellationToken).ConfigureAwait(false);
        var changes = await GitWorktree.HasChangesAsync(repositoryRoot, cancellationToken).ConfigureAwait(false) ? "+changes" : string.Empty;
        return new SystemBuild(repositoryRoot, $"this tree ({commit}{changes})", FilePrefix: string.Empty);
    }

    public static SystemBuild Before(GitWorktree worktree)
    {
        ArgumentNullException.ThrowIfNull(worktree);
        return new SystemBuild(worktree.Path, $"before ({worktree.Commit})", FilePrefix: "before-");
    }
}
