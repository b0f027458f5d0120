using OrderSystem.Benchmarks.OrderPath;

namespace OrderSystem.Tests.Benchmarks;

/// <summary>
/// The checkout that <c>order-path --before</c> measures, and the labels of the builds, against real git in a
/// repository of two commits made for the test. Its state folder lies inside the repository and is ignored, as
/// <c>.ordersystem/benchmark</c> is.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GitWorktreeTests : IAsyncLifetime
{
    private readonly string _repository = Directory.CreateTempSubdirectory("order-path-git-").FullName;

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private string WorktreePath => Path.Combine(_repository, ".state", "before-src");

    public async ValueTask InitializeAsync()
    {
        await GitAsync("init", "--quiet");
        await File.WriteAllTextAsync(Path.Combine(_repository, ".gitignore"), ".state/\n", CancellationToken);
        await CommitAsync("first");
        await CommitAsync("second");
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_repository, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_ref_is_checked_out_into_its_own_folder_and_removed_with_it()
    {
        var first = (await GitAsync("rev-parse", "--short", "HEAD~1")).Trim();

        await using (var worktree = await GitWorktree.AddAsync(_repository, WorktreePath, "HEAD~1", CancellationToken))
        {
            Assert.Equal(first, worktree.Commit);
            Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(WorktreePath, "version.txt"), CancellationToken));
            Assert.Equal($"before ({first})", SystemBuild.Before(worktree).Label);
            Assert.Equal(WorktreePath, SystemBuild.Before(worktree).Root);
        }

        Assert.False(Directory.Exists(WorktreePath));
        Assert.DoesNotContain(WorktreePath, await GitAsync("worktree", "list", "--porcelain"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_a_killed_run_left_in_the_folder_does_not_stop_the_next_checkout()
    {
        // A run killed before it could clean up: the folder is there and git still has it registered.
        await GitAsync("worktree", "add", "--detach", WorktreePath, "HEAD");
        await File.WriteAllTextAsync(Path.Combine(WorktreePath, "left-behind.txt"), "build output", CancellationToken);

        await using var worktree = await GitWorktree.AddAsync(_repository, WorktreePath, "HEAD~1", CancellationToken);

        Assert.Equal("first", await File.ReadAllTextAsync(Path.Combine(WorktreePath, "version.txt"), CancellationToken));
        Assert.False(File.Exists(Path.Combine(WorktreePath, "left-behind.txt")));
    }

    [Fact]
    public async Task A_ref_that_names_no_commit_is_refused_and_leaves_no_folder()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GitWorktree.AddAsync(_repository, WorktreePath, "no-such-branch", CancellationToken));

        Assert.Contains("no-such-branch", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(WorktreePath));
    }

    [Fact]
    public async Task This_tree_is_labelled_with_its_commit_and_whether_it_differs_from_it()
    {
        var head = (await GitAsync("rev-parse", "--short", "HEAD")).Trim();
        Directory.CreateDirectory(Path.Combine(_repository, ".state", "ignored"));

        Assert.Equal(new SystemBuild(_repository, $"this tree ({head})", ""), await SystemBuild.ThisTreeAsync(_repository, CancellationToken));

        await File.WriteAllTextAsync(Path.Combine(_repository, "version.txt"), "edited", CancellationToken);

        Assert.Equal($"this tree ({head}+changes)", (await SystemBuild.ThisTreeAsync(_repository, CancellationToken)).Label);
    }

    private async Task CommitAsync(string version)
    {
        await File.WriteAllTextAsync(Path.Combine(_repository, "version.txt"), version, CancellationToken);
        await GitAsync("add", ".");
        await GitAsync("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", version);
    }

    private Task<string> GitAsync(params string[] arguments) =>
        CommandLineProcess.RunAsync("git", ["-C", _repository, .. arguments], CancellationToken);
}
