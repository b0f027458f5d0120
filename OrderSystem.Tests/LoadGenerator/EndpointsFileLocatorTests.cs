using OrderSystem.LoadGenerator;
using OrderSystem.LoadGenerator.Endpoints;

namespace OrderSystem.Tests.LoadGenerator;

[Trait("Category", "Unit")]
public sealed class EndpointsFileLocatorTests
{
    [Fact]
    public void Finds_the_state_folder_of_an_ancestor()
    {
        using var tree = new TempTree();
        var expected = tree.WriteEndpoints("repo", TempTree.EndpointsJson());

        Assert.Equal(expected, EndpointsFileLocator.Find(tree.Directory("repo/src/Gateway/bin"), stateDirectory: null));
        Assert.Equal(expected, EndpointsFileLocator.Find(tree.Directory("repo"), stateDirectory: null));
    }

    [Fact]
    public void Takes_the_nearest_state_folder()
    {
        using var tree = new TempTree();
        tree.WriteEndpoints("outer", TempTree.EndpointsJson());
        var nearest = tree.WriteEndpoints("outer/inner", TempTree.EndpointsJson());

        Assert.Equal(nearest, EndpointsFileLocator.Find(tree.Directory("outer/inner/deeper"), stateDirectory: null));
    }

    [Fact]
    public void Finds_nothing_without_a_state_folder()
    {
        using var tree = new TempTree();
        tree.Directory("repo/.ordersystem");

        // A state folder without endpoints.json (the system is not up) does not count.
        Assert.Null(EndpointsFileLocator.Find(tree.Directory("repo/src"), stateDirectory: null));
    }

    [Fact]
    public void Uses_the_configured_state_directory_instead_of_walking_up()
    {
        using var tree = new TempTree();
        tree.WriteEndpoints("repo", TempTree.EndpointsJson());
        var configured = tree.Directory("custom-state");
        var start = tree.Directory("repo/src");

        Assert.Null(EndpointsFileLocator.Find(start, configured));

        var file = Path.Combine(configured, "endpoints.json");
        File.WriteAllText(file, TempTree.EndpointsJson());
        Assert.Equal(file, EndpointsFileLocator.Find(start, configured));
    }

    [Fact]
    public void Reads_the_gateway_key_and_dashboard()
    {
        using var tree = new TempTree();
        var path = tree.WriteEndpoints(".", TempTree.EndpointsJson("http://127.0.0.1:7000", "k-1", "http://127.0.0.1:7001"));

        Assert.Equal(new EndpointsDocument("http://127.0.0.1:7000", "k-1", "http://127.0.0.1:7001"), EndpointsDocument.Load(path));
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("[1, 2]", "holds no JSON object")]
    public void Rejects_a_file_that_is_not_an_endpoints_document(string content, string expected)
    {
        using var tree = new TempTree();
        var path = tree.WriteEndpoints(".", content);

        var exception = Assert.Throws<InvalidOptionsException>(() => EndpointsDocument.Load(path));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', exception.Message);
    }
}
