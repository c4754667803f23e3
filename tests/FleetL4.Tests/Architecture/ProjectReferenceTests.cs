using System.Text.Json.Nodes;
using System.Xml.Linq;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Architecture;

/// <summary>
/// The layers, read from the project files: references point from the edges to the core (Abstractions &lt;- Grains &lt;-
/// Silo; LoadBalancing and Members &lt;- Grains; Members and Client &lt;- Agent; Agent and Client &lt;- Cli), the hub links
/// neither the CLI, the agent nor System.CommandLine, and no project references an executable.
/// </summary>
public sealed class ProjectReferenceTests
{
    private const string Abstractions = "src/Grains.Abstractions/Grains.Abstractions.csproj";
    private const string Grains = "src/Grains/Grains.csproj";
    private const string LoadBalancing = "src/LoadBalancing/LoadBalancing.csproj";
    private const string Members = "src/Members/Members.csproj";
    private const string Client = "src/Client/Client.csproj";
    private const string Agent = "src/Agent/Agent.csproj";
    private const string Cli = "src/Cli/Cli.csproj";
    private const string HubApi = "src/HubApi/HubApi.csproj";
    private const string HubApiContracts = "src/HubApi.Contracts/HubApi.Contracts.csproj";
    private const string Silo = "src/Silo/Silo.csproj";

    /// <param name="Path">Relative to the repository root, with '/'.</param>
    /// <param name="References">Every ProjectReference, build-order-only ones (ReferenceOutputAssembly="false") too.</param>
    private sealed record Project(string Path, bool IsExecutable, string[] References, string[] Packages);

    private static readonly Lazy<IReadOnlyDictionary<string, Project>> All = new(Load);

    private static Dictionary<string, Project> Load()
    {
        var root = CliRunner.RepoRoot();
        var projects = new[] { "src", "tests" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*.csproj", SearchOption.AllDirectories))
            .Where(file => !Relative(root, file).Split('/').Any(part => part is "bin" or "obj" or "node_modules"))
            .Select(file => Read(root, file))
            .ToDictionary(p => p.Path);
        Assert.Contains(Silo, projects.Keys); // the walk found the projects at all
        foreach (var p in projects.Values)
            foreach (var r in p.References)
                Assert.True(projects.ContainsKey(r), $"{p.Path} references {r}, which is no project under src/ or tests/");
        return projects;
    }

    private static Project Read(string root, string file)
    {
        var xml = XDocument.Load(file);
        var dir = Path.GetDirectoryName(file)!;
        string[] references = [.. xml.Descendants("ProjectReference")
            .Select(r => Relative(root, Path.GetFullPath(Path.Combine(dir, r.Attribute("Include")!.Value.Replace('\\', '/')))))];
        string[] packages = [.. xml.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value)];
        // A .NET test project is an executable too (the test SDK makes it one).
        var executable = xml.Descendants("OutputType").Any(o => o.Value.Trim() is "Exe" or "WinExe")
            || xml.Descendants("IsTestProject").Any(o => o.Value.Trim() == "true");
        return new(Relative(root, file), executable, references, packages);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static Project Of(string path) => All.Value[path];

    /// <summary>Every project <paramref name="from"/> reaches, each with the chain of references that reaches it.</summary>
    private static Dictionary<string, string> Closure(string from)
    {
        var chains = new Dictionary<string, string> { [from] = from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var current))
            foreach (var next in Of(current).References)
                if (chains.TryAdd(next, $"{chains[current]} -> {next}")) queue.Enqueue(next);
        return chains;
    }

    [Fact]
    public void No_project_references_an_executable()
    {
        string[] offending = [.. All.Value.Values.SelectMany(p => p.References.Where(r => Of(r).IsExecutable)
            .Select(r => $"{p.Path} references {r}, an executable (OutputType Exe): reference a library it uses, or run its build output"))];
        Assert.True(offending.Length == 0, string.Join('\n', offending));
    }

    [Fact]
    public void The_hub_links_neither_the_CLI_nor_the_agent_nor_System_CommandLine()
    {
        var hub = Closure(Silo);
        Assert.Contains(Grains, hub.Keys);
        string[] offending =
        [
            .. new[] { Cli, Agent }.Where(hub.ContainsKey).Select(p => $"the hub links {p}: {hub[p]}"),
            .. hub.Keys.Where(p => Of(p).Packages.Contains("System.CommandLine", StringComparer.OrdinalIgnoreCase))
                .Select(p => $"the hub links System.CommandLine: {hub[p]} has a PackageReference to it"),
        ];
        Assert.True(offending.Length == 0, string.Join('\n', offending));
    }

    [Fact]
    public void The_built_hub_carries_neither_the_CLI_nor_the_agent_nor_System_CommandLine()
    {
        // What ships: the hub's deps.json lists every assembly it loads, packages' own dependencies included.
        var deps = JsonNode.Parse(File.ReadAllText(BuiltExecutable.Find("Silo", "FleetL4.Silo.deps.json")))!;
        string[] libraries = [.. deps["libraries"]!.AsObject().Select(kv => kv.Key.Split('/')[0])];
        Assert.Contains("FleetL4.Grains", libraries); // the names are what this test thinks they are
        string[] offending = [.. libraries.Where(l => l is "fleetl4" or "FleetL4.Agent" or "System.CommandLine")];
        Assert.True(offending.Length == 0, $"FleetL4.Silo.deps.json lists {string.Join(", ", offending)}");
    }

    [Theory]
    [InlineData(Grains, new[] { Abstractions, LoadBalancing, Members }, new[] { Client, Agent, Cli, HubApi, HubApiContracts })]
    [InlineData(Agent, new[] { Members, Client }, new[] { Cli })]
    [InlineData(Cli, new[] { Agent, Client }, new string[0])]
    [InlineData(Client, new string[0], new[] { Agent, Cli })]
    [InlineData(Members, new string[0], new[] { Grains, Client, Agent, Cli })]
    [InlineData(LoadBalancing, new string[0], new[] { Grains, Members, Client, Agent, Cli })]
    public void References_point_from_the_edges_to_the_core(string project, string[] references, string[] neverReaches)
    {
        var reached = Closure(project);
        string[] offending =
        [
            .. references.Where(r => !Of(project).References.Contains(r)).Select(r => $"{project} does not reference {r}"),
            .. neverReaches.Where(reached.ContainsKey).Select(r => $"{project} must not reach {r}: {reached[r]}"),
        ];
        Assert.True(offending.Length == 0, string.Join('\n', offending));
    }

    [Fact]
    public void The_contracts_reference_no_project()
    {
        Assert.True(Of(Abstractions).References.Length == 0, $"{Abstractions} references {string.Join(", ", Of(Abstractions).References)}");
    }

    [Fact]
    public void No_project_of_src_references_one_of_tests()
    {
        string[] offending = [.. All.Value.Values.Where(p => p.Path.StartsWith("src/", StringComparison.Ordinal))
            .SelectMany(p => p.References.Where(r => r.StartsWith("tests/", StringComparison.Ordinal)).Select(r => $"{p.Path} references {r}"))];
        Assert.True(offending.Length == 0, string.Join('\n', offending));
    }
}
