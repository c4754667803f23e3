using System.Text.Json.Nodes;
using FleetL4.Agent;
using FleetL4.Members;
using FleetL4.Models;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetL4.Tests.Kubernetes;

/// <summary>The agent's applier of placed work against a fake member API server (no hub: the work is given).</summary>
public sealed class WorkApplierTests : IAsyncLifetime
{
    private readonly FakeKubernetesApiServer _api = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("fleetl4-work-").FullName;
    private IKubernetes _k8s = null!;
    private WorkApplier _applier = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _k8s = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_api.WriteKubeconfig(_dir, "work")));
        _applier = new WorkApplier(_k8s, new RequestBudget(1000, 1000), NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        _k8s.Dispose();
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Placed objects as the hub hands them out: labelled with their placement.</summary>
    private static IReadOnlyList<ManifestObject> Placed(string yaml, string placement = "web") =>
    [
        .. ManifestReader.Read(yaml, "placed").Select(o =>
        {
            var json = JsonNode.Parse(o.Json)!.AsObject();
            var metadata = json["metadata"]!.AsObject();
            (metadata["labels"] ??= new JsonObject())[PlacementApi.ParentLabel] = placement;
            return o with { Json = json.ToJsonString() };
        }),
    ];

    private const string Web = """
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: settings, namespace: web }
        data: { color: blue }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: web }
        spec: { replicas: 2 }
        ---
        apiVersion: v1
        kind: Namespace
        metadata: { name: web }
        """;

    [Fact]
    public async Task Applies_the_Namespace_first_then_the_rest_and_reports_each_object()
    {
        var outcome = await _applier.ApplyAsync(new ClusterWork("m", [new PlacedWork("web", 1, Placed(Web))], []), default);

        Assert.False(outcome.Retry);
        var report = Assert.Single(outcome.Report.Placements);
        Assert.Equal(("web", 1L), (report.Placement, report.Revision));
        Assert.Equal(["ConfigMap web/settings", "Deployment web/web", "Namespace web"], report.Results.Select(r => r.Resource.ToString()));
        Assert.All(report.Results, r => Assert.True(r.Applied, r.Message));
        var ns = _api.Get("namespaces", null, "web")!;
        var deployment = _api.Get("deployments", "web", "web")!;
        Assert.Equal("web", deployment["metadata"]!["labels"]![PlacementApi.ParentLabel]!.GetValue<string>());
        Assert.True(Version(ns) < Version(_api.Get("configmaps", "web", "settings")!), "the Namespace was applied first");

        // A new revision changes the objects in place; discovery is not read again.
        var discovery = _api.RequestCounts()["GET discovery"];
        var again = await _applier.ApplyAsync(new ClusterWork("m", [new PlacedWork("web", 2, Placed(Web.Replace("replicas: 2", "replicas: 3")))], []), default);
        Assert.All(again.Report.Placements.Single().Results, r => Assert.True(r.Applied, r.Message));
        Assert.Equal(3, _api.Get("deployments", "web", "web")!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, _api.Get("deployments", "web", "web")!["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(discovery, _api.RequestCounts()["GET discovery"]);
    }

    [Fact]
    public async Task A_kind_the_member_does_not_serve_fails_that_object_only()
    {
        var objects = Placed(Web + """

            ---
            apiVersion: batch/v1
            kind: Job
            metadata: { name: migrate, namespace: web }
            """);
        var outcome = await _applier.ApplyAsync(new ClusterWork("m", [PlacementWorkOf("web", objects)], []), default);

        Assert.False(outcome.Retry); // only a change of the work mends it
        var results = outcome.Report.Placements.Single().Results;
        var job = Assert.Single(results, r => !r.Applied);
        Assert.Equal("Job web/migrate", job.Resource.ToString());
        Assert.Equal("the member's API server does not serve batch/v1 Job", job.Message);
        Assert.NotNull(_api.Get("deployments", "web", "web"));
    }

    [Fact]
    public async Task A_refusal_carries_the_API_servers_message_and_a_5xx_is_retried()
    {
        var wrongName = Placed(Web)[0] with { Name = "other" }; // the URL names "other", the body "settings": 400
        _api.FailNextApplies = 1;
        var outcome = await _applier.ApplyAsync(new ClusterWork("m", [PlacementWorkOf("web", [.. Placed(Web), wrongName])], []), default);

        Assert.True(outcome.Retry);
        var failed = outcome.Report.Placements.Single().Results.Where(r => !r.Applied).ToList();
        Assert.Equal(2, failed.Count);
        Assert.Equal("Internal error occurred: etcdserver: request timed out", failed[0].Message); // the Namespace, applied first
        Assert.Equal("the name of the object (settings) does not match the name on the URL (other)", failed[1].Message);

        var next = await _applier.ApplyAsync(new ClusterWork("m", [PlacementWorkOf("web", Placed(Web))], []), default);
        Assert.False(next.Retry);
        Assert.All(next.Report.Placements.Single().Results, r => Assert.True(r.Applied, r.Message));
    }

    [Fact]
    public async Task Removes_what_a_placement_put_there_and_leaves_what_someone_else_made()
    {
        await _applier.ApplyAsync(new ClusterWork("m", [PlacementWorkOf("web", Placed(Web))], []), default);
        _api.ApplyYaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: by-hand, namespace: elsewhere }
            """);
        ResourceId[] remove =
        [
            new("", "v1", "Namespace", null, "web"),
            new("apps", "v1", "Deployment", "web", "web"),
            new("", "v1", "ConfigMap", "elsewhere", "by-hand"),
            new("", "v1", "ConfigMap", "web", "never-there"),
            new("batch", "v1", "Job", "web", "not-served"),
        ];
        var outcome = await _applier.ApplyAsync(new ClusterWork("m", [], remove), default);

        Assert.False(outcome.Retry);
        Assert.Equal(remove.Select(r => r.ToString()).Order(), outcome.Report.Removed.Select(r => r.ToString()).Order());
        Assert.Null(_api.Get("namespaces", null, "web"));
        Assert.Null(_api.Get("configmaps", "web", "settings")); // with its Namespace
        Assert.NotNull(_api.Get("configmaps", "elsewhere", "by-hand"));
    }

    private static PlacedWork PlacementWorkOf(string placement, IReadOnlyList<ManifestObject> objects) => new(placement, 1, objects);

    private static long Version(JsonObject o) => long.Parse(o["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
