namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The system as it was at an earlier commit (<c>--before</c>), to measure in the same run as the working tree: the
/// commit checked out into <c>before-src</c> in the state folder and its AppHost built there in Release. Disposing it
/// removes the checkout.
/// </summary>
public sealed class BeforeBuild : IAsyncDisposable
{
    private readonly GitWorktree _worktree;

    private BeforeBuild(GitWorktree worktree)
    {
        _worktree = worktree;
        Build = SystemBuild.Before(worktree);
    }

    public SystemBuild Build { get; }

    public static async Task<BeforeBuild> PrepareAsync(string repositoryRoot, string stateDirectory, string reference, CancellationToken cancellationToken)
    {
        var worktree = await GitWorktree.AddAsync(repositoryRoot, Path.Combine(stateDirectory, "before-src"), reference, cancellationToken).ConfigureAwait(false);
        try
        {
            // Always built: the checkout is new, and --no-build is about the working tree's build.
            Console.WriteLine($"order-path: building the AppHost of {reference} ({worktree.Commit}, Release) in {worktree.Path}");
            await AppHostChild.BuildAsync(worktree.Path, cancellationToken).ConfigureAwait(false);
            return new BeforeBuild(worktree);
        }
        catch
        {
            await worktree.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _worktree.DisposeAsync();
}
