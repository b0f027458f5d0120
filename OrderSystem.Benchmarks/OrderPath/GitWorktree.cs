namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// A commit checked out (detached) into a folder of its own with <c>git worktree add</c>, beside the repository's own
/// working tree; disposing it removes the folder and its registration, build output included.
/// </summary>
public sealed class GitWorktree : IAsyncDisposable
{
    private readonly string _repositoryRoot;

    private GitWorktree(string repositoryRoot, string path, string commit)
    {
        _repositoryRoot = repositoryRoot;
        Path = path;
        Commit = commit;
    }

    public string Path { get; }

    /// <summary>The checked-out commit's short id.</summary>
    public string Commit { get; }

    /// <param name="reference">A branch, tag, commit or expression such as <c>HEAD~3</c>.</param>
    /// <exception cref="InvalidOperationException">git refused, e.g. the reference names no commit.</exception>
    public static async Task<GitWorktree> AddAsync(string repositoryRoot, string path, string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        // What a run killed before it could clean up left behind; --force below re-registers the path git still knows.
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        await GitAsync(repositoryRoot, ["worktree", "add", "--force", "--detach", path, reference], cancellationToken).ConfigureAwait(false);
        try
        {
            return new GitWorktree(repositoryRoot, path, await ShortCommitAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await RemoveAsync(repositoryRoot, path).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The short id of the commit checked out in <paramref name="workingTree"/>.</summary>
    public static async Task<string> ShortCommitAsync(string workingTree, CancellationToken cancellationToken) =>
        (await GitAsync(workingTree, ["rev-parse", "--short", "HEAD"], cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>Whether <paramref name="workingTree"/> differs from its commit: changed, staged or untracked files.</summary>
    public static async Task<bool> HasChangesAsync(string workingTree, CancellationToken cancellationToken) =>
        (await GitAsync(workingTree, ["status", "--porcelain"], cancellationToken).ConfigureAwait(false)).Length > 0;

    public async ValueTask DisposeAsync() => await RemoveAsync(_repositoryRoot, Path).ConfigureAwait(false);

    private static async Task RemoveAsync(string repositoryRoot, string path)
    {
        try
        {
            // Not cancellable: after Ctrl-C the folder must still go.
            await GitAsync(repositoryRoot, ["worktree", "remove", "--force", path], CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            // Said, not thrown: it would hide the failure that brought the run here.
            await Console.Error.WriteLineAsync($"order-path: {exception.Message.Trim()} (remove it with: git worktree remove --force {path})").ConfigureAwait(false);
        }
    }

    private static Task<string> GitAsync(string workingTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        CommandLineProcess.RunAsync("git", ["-C", workingTree, .. arguments], cancellationToken);
}
