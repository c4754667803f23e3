using System.Text.Json.Nodes;
using FleetL4.HubKubernetes;
using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FleetL4.Tests.Kubernetes;

/// <summary>
/// The hub cluster of the seed walkthrough: a fake API server with our CRDs' columns, watched by a two-silo hub
/// (Hub:Kubernetes:Watch) with three virtual members, two in eastus and one in westus. Tests use namespaces and
/// placements of their own.
/// </summary>
public sealed class HubClusterFixture : IAsyncLifetime
{
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("fleetl4-hubwatch-").FullName;
    public FakeKubernetesApiServer Api { get; } = new();
    public string Kubeconfig { get; private set; } = "";
    public FleetTestCluster Hub { get; private set; } = null!;

    public static readonly string[] EastUs = ["aks-member-1", "aks-member-2"];
    public const string WestUs = "aks-member-3";

    public async Task InitializeAsync()
    {
        Kubeconfig = await StartApiAsync(Api, WorkDir);
        Hub = await StartHubAsync(Kubeconfig);
        foreach (var cluster in EastUs) await Hub.Fleet.JoinClusterAsync(cluster, Seed.EastUs, isVirtual: true);
        await Hub.Fleet.JoinClusterAsync(WestUs, Seed.WestUs, isVirtual: true);
    }

    /// <summary>Starts <paramref name="api"/> with our CRDs' printer columns; its kubeconfig ("fleet", as in the seed).</summary>
    public static async Task<string> StartApiAsync(FakeKubernetesApiServer api, string workDir)
    {
        foreach (var (plural, columns) in CrdSchema.PrinterColumns()) api.Columns[plural] = columns;
        await api.StartAsync();
        return api.WriteKubeconfig(workDir, "fleet");
    }

    /// <summary>A hub whose silos watch the API server of <paramref name="kubeconfig"/>, on <paramref name="store"/> when given.</summary>
    public static Task<FleetTestCluster> StartHubAsync(string kubeconfig, SharedGrainStore? store = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Kubernetes:Watch"] = "true",
            ["Hub:Kubernetes:Kubeconfig"] = kubeconfig,
            // Watches that outlast a test class, so that a test can count them.
            ["Hub:Kubernetes:WatchTimeout"] = "00:10:00",
            ["Hub:Kubernetes:ApiOutageBound"] = "00:30:00",
            ["Hub:Kubernetes:BackoffMin"] = "00:00:00.05",
            ["Hub:Kubernetes:BackoffMax"] = "00:00:00.5",
            ["Hub:Kubernetes:StatusCoalescing"] = "00:00:00.05",
        }).Build();
        return FleetTestCluster.StartAsync(store: store, configureSilo: silo => silo.Services.AddHubKubernetesWatch(configuration));
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Api.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }
}

/// <summary>kubectl on the hub cluster, as in the seed walkthrough: the hub takes what is applied there and writes
/// each placement's status back.</summary>
public sealed class HubKubernetesWatchTests(HubClusterFixture fixture) : IClassFixture<HubClusterFixture>
{
    private FakeKubernetesApiServer Api => fixture.Api;
    private FleetL4.HubApi.FleetGrains Fleet => fixture.Hub.Fleet;

    private static readonly string[] SeedColumns = ["NAME", "GEN", "SCHEDULED", "SCHEDULEDGEN", "APPLIED", "APPLIEDGEN", "AGE"];

    [Fact]
    public async Task The_seed_s_kubectl_steps_on_the_hub_place_kuard_on_the_eastus_members_and_kubectl_get_crp_shows_it_applied()
    {
        Assert.Equal("namespace/kuard-demo created", (await CreateNamespace("kuard-demo")).Trim());
        Assert.Equal(["deployment.apps/kuard created", "service/kuard created", "serviceexport.networking.fleet.azure.com/kuard created"],
            Lines(await Kubectl("apply", "-f", Sample("kuard-export-service.yaml"))));
        Assert.Equal(["clusterresourceplacement.placement.kubernetes-fleet.io/kuard-demo created"], Lines(await Kubectl("apply", "-f", Sample("crp-2.yaml"))));

        // The members' pods: an EndpointSlice for kuard in each eastus cluster.
        foreach (var (cluster, i) in HubClusterFixture.EastUs.Select((c, i) => (c, i)))
            await Eventually.Get(() => Fleet.ListManifestsAsync(cluster), objects => objects.Any(o => o.Kind == FleetApi.Service && o.Namespace == "kuard-demo"),
                $"kuard's Service placed on {cluster}");
        foreach (var (cluster, i) in HubClusterFixture.EastUs.Select((c, i) => (c, i)))
            await Fleet.ApplyManifestsAsync(cluster, ManifestReader.Read(SeedManifests.Slice("kuard-demo", "kuard-pods", $"10.8.{i}.1", $"10.8.{i}.2"), "slice.yaml"));
        foreach (var cluster in HubClusterFixture.EastUs)
        {
            var export = await Eventually.Get(() => Fleet.GetServiceExportAsync(cluster, "kuard-demo", "kuard"),
                e => e.Exists && Find(e.Conditions, ConditionTypes.Valid) == ConditionStatuses.True && e.Endpoints.Count == 2, $"kuard exported from {cluster}");
            Assert.Equal(ConditionStatuses.False, Find(export.Conditions, ConditionTypes.Conflict));
        }
        Assert.DoesNotContain(await Fleet.ListManifestsAsync(HubClusterFixture.WestUs), o => o.Namespace == "kuard-demo" || o.Name == "kuard-demo");
        Assert.Empty(await Fleet.ListServiceExportsAsync(HubClusterFixture.WestUs));

        // kubectl get clusterresourceplacements, as the seed shows it; and by its short name.
        var table = await Eventually.Get(async () => TableText.Parse(await Kubectl("get", "clusterresourceplacements")),
            t => t.Rows.Any(r => r["NAME"] == "kuard-demo" && r["APPLIED"] == "True"), "kuard-demo applied in kubectl get clusterresourceplacements");
        Assert.Equal(SeedColumns, table.Headers);
        var row = table.Rows.Single(r => r["NAME"] == "kuard-demo");
        Assert.Equal(["kuard-demo", "1", "True", "1", "True", "1"], SeedColumns[..6].Select(c => row[c]));
        var shortName = TableText.Parse(await Kubectl("get", "crp", "kuard-demo"));
        Assert.Equal(SeedColumns, shortName.Headers);
        Assert.Equal(["kuard-demo", "1", "True", "1", "True", "1"], SeedColumns[..6].Select(c => shortName.Rows.Single()[c]));

        // The status in Fleet's shape: both eastus clusters applied, the namespace's objects selected; the CRD takes it.
        var crp = Api.Get(PlacementApi.Plural, null, "kuard-demo")!;
        Assert.Equal([], CrdSchema.Check(crp));
        var placed = crp["status"]!["placementStatuses"]!.AsArray();
        Assert.Equal(HubClusterFixture.EastUs, placed.Select(p => p!["clusterName"]!.GetValue<string>()));
        Assert.All(placed, p => Assert.Equal("True", p!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == PlacementApi.ClusterApplied)!["status"]!.GetValue<string>()));
        Assert.Contains(crp["status"]!["selectedResources"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "Deployment" && r["name"]!.GetValue<string>() == "kuard");
    }

    [Fact]
    public async Task One_silo_of_the_hub_watches_and_an_idle_hub_sends_its_API_server_no_requests_but_its_watches()
    {
        await ApplyPlacedNamespace("hubwatch-idle", "hubwatch-idle");
        await WaitForRow("hubwatch-idle", "True", "True");
        // One of the two silos watches (Writer: the one status writer of the hub).
        var writer = Writer();
        foreach (var kind in HubKinds.All) Assert.True(Api.RequestCounts().GetValueOrDefault($"WATCH {kind.Plural}") > 0, kind.Plural);

        // Quiet now. A change the hub takes (written into the fake directly, no request) in a namespace no placement
        // selects passes through the watch, and every placement selects again and tells the observer, yet with nothing
        // new to show no status is written: nothing but watches reaches the API server.
        var looks = writer.Looks("hubwatch-idle");
        var before = Api.RequestCounts();
        Api.ApplyYaml("""
            apiVersion: v1
            kind: Namespace
            metadata: { name: hubwatch-idle-barrier }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: barrier, namespace: hubwatch-idle-barrier }
            data: { k: v }
            """);
        await Eventually.Get(() => Fleet.ListManifestsAsync(null), objects => objects.Any(o => o.Kind == "ConfigMap" && o.Name == "barrier"), "the hub took the ConfigMap");
        await Eventually.True(() => writer.Looks("hubwatch-idle") > looks, "the placement's status compared again");
        var after = Api.RequestCounts();
        var sent = after.Where(kv => kv.Value != before.GetValueOrDefault(kv.Key)).Select(kv => kv.Key).ToArray();
        Assert.All(sent, kind => Assert.StartsWith("WATCH ", kind));
    }

    [Fact]
    public async Task A_status_changed_by_hand_is_written_back_and_a_status_write_is_not_applied_to_the_hub_again()
    {
        await ApplyPlacedNamespace("hubwatch-tamper", "hubwatch-tamper");
        await WaitForRow("hubwatch-tamper", "True", "True");
        var generation = (await Fleet.GetPlacementAsync("hubwatch-tamper")).Generation;
        var writes = Api.RequestCounts().GetValueOrDefault($"PATCH {PlacementApi.Plural}/status");

        await Kubectl("patch", "crp", "hubwatch-tamper", "--subresource=status", "--type=merge", "-p",
            """{"status":{"conditions":[{"type":"ClusterResourcePlacementApplied","status":"False","reason":"Tampered","message":"by hand","lastTransitionTime":"2026-01-01T00:00:00Z","observedGeneration":1}]}}""");
        await WaitForRow("hubwatch-tamper", "True", "True");
        // kubectl's write and one write back; the hub's placement saw no new spec from either.
        Assert.Equal(writes + 2, Api.RequestCounts().GetValueOrDefault($"PATCH {PlacementApi.Plural}/status"));
        Assert.Equal(generation, (await Fleet.GetPlacementAsync("hubwatch-tamper")).Generation);
    }

    [Fact]
    public async Task A_burst_of_status_changes_of_one_placement_is_one_status_write()
    {
        await ApplyPlacedNamespace("hubwatch-burst", "hubwatch-burst");
        await WaitForRow("hubwatch-burst", "True", "True");
        var writes = Api.RequestCounts().GetValueOrDefault($"PATCH {PlacementApi.Plural}/status");
        // The status is changed behind the hub's back (in the fake directly, no request), and the hub hears of 50 changes at once.
        var crps = FakeApiStore.Resources.Single(r => r.Plural == PlacementApi.Plural);
        Api.Store.Patch(crps, null, "hubwatch-burst", JsonNode.Parse("""{"status":{"conditions":[]}}""")!.AsObject(), status: true);
        var writer = Writer();
        for (var i = 0; i < 50; i++) writer.Touch("hubwatch-burst");
        await WaitForRow("hubwatch-burst", "True", "True");
        Assert.Equal(writes + 1, Api.RequestCounts().GetValueOrDefault($"PATCH {PlacementApi.Plural}/status"));
    }

    [Fact]
    public async Task A_placement_the_hub_refuses_shows_Scheduled_False_InvalidSpec_and_gets_a_warning_event()
    {
        var file = Path.Combine(fixture.WorkDir, "reserved.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: placement.kubernetes-fleet.io/v1
            kind: ClusterResourcePlacement
            metadata:
              name: hubwatch-reserved
            spec:
              resourceSelectors:
                - { group: "", version: v1, kind: Namespace, name: kube-system }
            """);
        await Kubectl("apply", "-f", file);
        var row = await WaitForRow("hubwatch-reserved", "False", "");
        Assert.Equal("1", row["SCHEDULEDGEN"]);
        var condition = Api.Get(PlacementApi.Plural, null, "hubwatch-reserved")!["status"]!["conditions"]!.AsArray().Single()!;
        Assert.Equal(ConditionReasons.InvalidSpec, condition["reason"]!.GetValue<string>());
        Assert.Contains("reserved", condition["message"]!.GetValue<string>());
        Assert.False((await Fleet.GetPlacementAsync("hubwatch-reserved")).Exists);
        await Eventually.True(() => Api.List("events", "default").Any(e => e["reason"]?.GetValue<string>() == RefusalEvents.Reason
            && e["involvedObject"]?["name"]?.GetValue<string>() == "hubwatch-reserved" && e["type"]?.GetValue<string>() == "Warning"), "a Warning event on the placement");

        // Fixed: the hub takes it, and the status says so for the new generation.
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("kube-system", "hubwatch-reserved"));
        await CreateNamespace("hubwatch-reserved");
        await Kubectl("apply", "-f", file);
        var fixedRow = await WaitForRow("hubwatch-reserved", "True", "True");
        Assert.Equal(("2", "2", "2"), (fixedRow["GEN"], fixedRow["SCHEDULEDGEN"], fixedRow["APPLIEDGEN"]));
    }

    [Fact]
    public async Task Deleting_a_placement_or_a_namespace_with_kubectl_deletes_it_from_the_hub_and_the_members()
    {
        await ApplyPlacedNamespace("hubwatch-delete", "hubwatch-delete");
        await WaitForRow("hubwatch-delete", "True", "True");
        await Eventually.Get(() => Fleet.ListManifestsAsync(HubClusterFixture.EastUs[0]), o => o.Any(x => x.Namespace == "hubwatch-delete"), "placed");

        await Kubectl("delete", "crp", "hubwatch-delete");
        await Eventually.Get(() => Fleet.GetPlacementAsync("hubwatch-delete"), p => !p.Exists, "the hub's placement deleted");
        await Eventually.Get(() => Fleet.ListManifestsAsync(HubClusterFixture.EastUs[0]), o => !o.Any(x => x.Namespace == "hubwatch-delete"), "the member's objects removed");

        await Kubectl("delete", "namespace", "hubwatch-delete");
        await Eventually.Get(() => Fleet.ListManifestsAsync(null), o => !o.Any(x => x.Namespace == "hubwatch-delete" || x.Name == "hubwatch-delete"),
            "the hub's namespace deleted with its objects");
    }

    [Fact]
    public async Task A_hub_that_starts_again_drops_what_was_deleted_from_its_API_server_meanwhile()
    {
        var dir = Directory.CreateTempSubdirectory("fleetl4-hubwatch-restart-").FullName;
        await using var api = new FakeKubernetesApiServer();
        var kubeconfig = await HubClusterFixture.StartApiAsync(api, dir);
        var store = new SharedGrainStore();
        api.ApplyYaml(Workload("restart-demo"));
        await using (var hub = await HubClusterFixture.StartHubAsync(kubeconfig, store))
            await Eventually.Get(() => hub.Fleet.ListManifestsAsync(null), o => o.Any(x => x.Kind == "ConfigMap" && x.Namespace == "restart-demo"), "the hub took the ConfigMap");

        // While the hub is down: the ConfigMap is deleted, the Service changed.
        Assert.True(api.Delete("configmaps", "restart-demo", "settings"));
        api.ApplyYaml(SeedManifests.Workload("restart-demo", port: 9090));
        await using var again = await HubClusterFixture.StartHubAsync(kubeconfig, store);
        await Eventually.Get(() => again.Fleet.ListManifestsAsync(null),
            o => !o.Any(x => x.Kind == "ConfigMap" && x.Namespace == "restart-demo")
                && o.Any(x => x.Kind == FleetApi.Service && x.Namespace == "restart-demo" && x.Json.Contains("9090")),
            "the hub dropped the ConfigMap and took the new Service");
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("--Hub:Kubernetes:Watch=true", "Hub:Kubernetes:Kubeconfig: not set, and the hub does not run in a pod")]
    [InlineData("--Hub:Kubernetes:Watch=true --Hub:Kubernetes:Kubeconfig=/nonexistent/fleet.kubeconfig",
        "Hub:Kubernetes:Kubeconfig: file \"/nonexistent/fleet.kubeconfig\" does not exist")]
    [InlineData("--Hub:Kubernetes:Watch=true --Hub:Kubernetes:Namespaces:0=Kuard_Demo", "Hub:Kubernetes:Namespaces: \"Kuard_Demo\" is not a namespace name")]
    public async Task A_bad_Hub_Kubernetes_setting_stops_the_hub_with_a_message_naming_the_key(string arguments, string message)
    {
        // Outside a pod (no KUBERNETES_SERVICE_HOST), as on this machine.
        var result = await HubProcess.RunToExitAsync(arguments.Split(' '));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {message}", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_process_with_the_watch_writes_a_placement_s_status_and_stops_cleanly_on_SIGTERM()
    {
        await using var api = new FakeKubernetesApiServer();
        var kubeconfig = await HubClusterFixture.StartApiAsync(api, Directory.CreateDirectory(Path.Combine(fixture.WorkDir, "process")).FullName);
        api.ApplyYaml(Workload("process-demo") + "\n---\n" + Placement("process-demo", "process-demo"));
        await using var hub = await HubProcess.StartAsync("--Hub:Kubernetes:Watch=true", $"--Hub:Kubernetes:Kubeconfig={kubeconfig}");
        // No member has joined this hub: scheduled onto none, which is applied everywhere it should be.
        try
        {
            await Eventually.True(() => api.Get(PlacementApi.Plural, null, "process-demo")?["status"]?["conditions"]?.AsArray().Count == 2,
                "the placement's status written", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{hub.Output}");
        }
        Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Watching the hub's Kubernetes API server", hub.Output);
    }

    /// <summary>The seed's `kubectl create namespace` (which sends the Namespace as protobuf).</summary>
    private Task<string> CreateNamespace(string ns) => Kubectl("create", "namespace", ns);

    /// <summary>The status writer of the silo that watches (the other has none).</summary>
    private PlacementStatusWriter Writer() => fixture.Hub.Cluster.Silos
        .Select(s => s.ServiceProvider.GetRequiredService<HubKubernetesWatch>().Status).OfType<PlacementStatusWriter>().Single();

    private async Task ApplyPlacedNamespace(string ns, string placement)
    {
        var file = Path.Combine(fixture.WorkDir, $"{ns}.yaml");
        await File.WriteAllTextAsync(file, Workload(ns) + "\n---\n" + Placement(placement, ns));
        await Kubectl("apply", "-f", file);
    }

    /// <summary>Waits until kubectl get crp shows the placement's SCHEDULED and APPLIED; its row.</summary>
    private async Task<Dictionary<string, string>> WaitForRow(string placement, string scheduled, string applied)
    {
        var table = await Eventually.Get(async () => TableText.Parse(await Kubectl("get", "crp")),
            t => t.Rows.Any(r => r["NAME"] == placement && r["SCHEDULED"] == scheduled && r["APPLIED"] == applied),
            $"{placement}: SCHEDULED {scheduled}, APPLIED {applied}");
        return table.Rows.Single(r => r["NAME"] == placement);
    }

    private static string Sample(string file) => Path.Combine(CliRunner.RepoRoot(), "samples", "kuard", file);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string? Find(IEnumerable<Condition> conditions, string type) => conditions.FirstOrDefault(c => c.Type == type)?.Status;

    /// <summary>The seed's workload with its Namespace, and a ConfigMap.</summary>
    private static string Workload(string ns, int port = 8080) => SeedManifests.Workload(ns, port) + $"""

        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {"{"} name: settings, namespace: {ns} {"}"}
        data: {"{"} color: blue {"}"}
        """;

    /// <summary>The seed's placement (crp-2.yaml) of one namespace onto the eastus clusters.</summary>
    private static string Placement(string name, string ns) => SeedManifests.Placement(name, ns, SeedManifests.RequiredLabels(Seed.EastUs));

    private async Task<string> Kubectl(params string[] args)
    {
        var result = await ProcessRunner.Run("kubectl", ["--kubeconfig", fixture.Kubeconfig, "--cache-dir", Path.Combine(fixture.WorkDir, "kubectl-cache"), .. args]);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(" ", args)}: {result}");
        return result.Stdout;
    }
}
