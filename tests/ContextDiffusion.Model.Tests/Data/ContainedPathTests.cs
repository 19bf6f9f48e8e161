using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Model.Tests.Data;

public sealed class ContainedPathTests : IDisposable
{
    private readonly string top = Directory.CreateTempSubdirectory("contained-path-tests").FullName;
    private readonly string root;
    private readonly string outside;

    public ContainedPathTests()
    {
        root = Directory.CreateDirectory(Path.Combine(top, "root")).FullName;
        outside = Directory.CreateDirectory(Path.Combine(top, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "a"));
        File.WriteAllText(Path.Combine(root, "a", "inside.txt"), "inside");
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
    }

    [Theory]
    [InlineData("a/inside.txt", "a/inside.txt")]
    [InlineData("./a/../a/inside.txt", "a/inside.txt")]
    [InlineData("new/file.png", "new/file.png")]
    public void Resolves_a_path_that_stays_inside(string relative, string expected) =>
        Assert.Equal(Path.Combine(root, expected), ContainedPath.Resolve(root, relative));

    [Theory]
    [InlineData("../outside/secret.txt", "leads outside its folder")]
    [InlineData("a/../../outside/secret.txt", "leads outside its folder")]
    [InlineData("../../etc/hostname", "leads outside its folder")]
    [InlineData("..", "leads outside its folder")]
    [InlineData("/etc/hostname", "is an absolute path")]
    [InlineData("", "the path is empty")]
    public void Refuses_a_path_that_leaves_by_its_text(string relative, string reason) =>
        Assert.Contains(reason, Assert.Throws<PathOutsideRootException>(() => ContainedPath.Resolve(root, relative)).Message);

    [Fact]
    public void Refuses_a_NUL_character() =>
        Assert.Contains("contains a NUL character", Assert.Throws<PathOutsideRootException>(() => ContainedPath.Resolve(root, "a/\0.png")).Message);

    [Fact]
    public void Refuses_links_that_lead_out_and_follows_those_that_stay_in()
    {
        File.CreateSymbolicLink(Path.Combine(root, "file-out.txt"), Path.Combine(outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(root, "dir-out"), "../outside");
        File.CreateSymbolicLink(Path.Combine(root, "chain.txt"), "file-out.txt");
        File.CreateSymbolicLink(Path.Combine(root, "file-in.txt"), "a/inside.txt");

        foreach (var relative in new[] { "file-out.txt", "dir-out/secret.txt", "dir-out/missing.png", "chain.txt" })
            Assert.Contains("through a symbolic link", Assert.Throws<PathOutsideRootException>(() => ContainedPath.Resolve(root, relative)).Message);
        Assert.Equal(Path.Combine(root, "a", "inside.txt"), ContainedPath.Resolve(root, "file-in.txt"));
    }

    [Fact]
    public void Reads_a_link_target_from_where_the_link_really_is_not_from_the_path_that_names_it()
    {
        // root/p/q/l leads to root/d, and root/d/x to ../../outside: from root/d that is outside the root, while
        // read from the name root/p/q/l/x it would look like root/p/outside, inside.
        Directory.CreateDirectory(Path.Combine(root, "p", "q"));
        Directory.CreateDirectory(Path.Combine(root, "d"));
        Directory.CreateSymbolicLink(Path.Combine(root, "p", "q", "l"), "../../d");
        Directory.CreateSymbolicLink(Path.Combine(root, "d", "x"), "../../outside");

        Assert.Throws<PathOutsideRootException>(() => ContainedPath.Resolve(root, "p/q/l/x/secret.txt"));
    }

    [Fact]
    public void Accepts_a_root_that_is_itself_reached_through_a_link()
    {
        var alias = Path.Combine(top, "alias");
        Directory.CreateSymbolicLink(alias, root);
        File.CreateSymbolicLink(Path.Combine(root, "absolute-in.txt"), Path.Combine(root, "a", "inside.txt"));

        Assert.Equal(Path.Combine(root, "a", "inside.txt"), ContainedPath.Resolve(alias, "a/inside.txt"));
        Assert.Equal(Path.Combine(root, "a", "inside.txt"), ContainedPath.Resolve(alias, "absolute-in.txt"));
    }

    [Fact]
    public void Refuses_a_loop_of_links()
    {
        File.CreateSymbolicLink(Path.Combine(root, "ping"), "pong");
        File.CreateSymbolicLink(Path.Combine(root, "pong"), "ping");

        Assert.Contains("more than 40 symbolic links", Assert.Throws<PathOutsideRootException>(() => ContainedPath.Resolve(root, "ping")).Message);
    }

    public void Dispose() => Directory.Delete(top, recursive: true);
}
