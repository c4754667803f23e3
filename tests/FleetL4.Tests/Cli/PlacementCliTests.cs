using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Cli;

/// <summary>The hub's own objects and ClusterResourcePlacements through the `fleetl4` CLI, as processes, against a
/// hub process: the seed's steps on the hub, `get crp` with Fleet's columns, `describe crp`, `cluster label`.</summary>
public sealed class PlacementCliTests : IAsyncLifetime
{
    private HubProcess _hub = null!;

    public async Task InitializeAsync() => _hub = await HubProcess.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private Task<ProcessRunner.Result> Fleetl4(params string[] args) => CliRunner.Run(_hub.ApiUrl, null, args);

    private Task<ProcessRunner.Result> Succeeds(params string[] args) => SucceedsWith(null, args);

    private async Task<ProcessRunner.Result> SucceedsWith(string? stdin, params string[] args)
    {
        var result = await CliRunner.Run(_hub.ApiUrl, stdin, args);
        Assert.True(result.ExitCode == 0, $"fleetl4 {string.Join(' ', args)}: {result}");
        return result;
    }

    private async Task<string> Fails(params string[] args)
    {
        var result = await Fleetl4(args);
        Assert.True(result.ExitCode == 1, $"fleetl4 {string.Join(' ', args)}: {result}");
        Assert.Equal("", result.Stdout);
        return result.Stderr.TrimEnd();
    }

    private static string[] Lines(string text) => text.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Sample(string file) => Path.Combine(CliRunner.RepoRoot(), "samples", "kuard", file);

    private const string Namespace = "apiVersion: v1\nkind: Namespace\nmetadata: { name: kuard-demo }\n";

    private const string Role = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: { name: kuard-reader, namespace: kuard-demo }
        rules: []
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: { name: kuard-viewer }
        rules: []
        """;

    private async Task Join(string cluster, string location) =>
        Assert.Equal(["membercluster/" + cluster + " joined"], Lines((await Succeeds("cluster", "join", cluster, "--label", $"fleet.azure.com/location={location}")).Stdout));

    private Task<(string[] Headers, List<Dictionary<string, string>> Rows)> Placement(string clusters, params string[] args) =>
        Eventually.Get(async () => TableText.Parse((await Succeeds(["get", "crp", .. args])).Stdout),
            t => t.Rows is [{ } row] && row["APPLIED"] == "True" && (!row.ContainsKey("CLUSTERS") || row["CLUSTERS"] == clusters),
            $"kuard-demo applied to {clusters}", TimeSpan.FromSeconds(30));

    [Fact]
    public async Task The_seed_s_hub_steps_place_kuard_and_get_and_describe_show_the_placement_like_kubectl()
    {
        await Join("aks-member-1", "eastus");
        await Join("aks-member-2", "eastus");
        await Join("aks-member-3", "westus");

        // The seed's steps on the hub: the namespace, kuard-export-service.yaml in it, crp-2.yaml. No --cluster: the hub.
        Assert.Equal(["namespace/kuard-demo created"], Lines((await Succeeds("create", "namespace", "kuard-demo")).Stdout));
        Assert.Equal("Error from server (AlreadyExists): namespaces \"kuard-demo\" already exists", await Fails("create", "namespace", "kuard-demo"));
        Assert.Equal(["namespace/kuard-demo unchanged"], Lines((await SucceedsWith(Namespace, "apply", "-f", "-")).Stdout));
        var workload = await Succeeds("apply", "-f", Sample("kuard-export-service.yaml"));
        Assert.Equal(["deployment.apps/kuard created", "service/kuard created", "serviceexport.networking.fleet.azure.com/kuard created"], Lines(workload.Stdout));
        Assert.Equal("", workload.Stderr);
        Assert.Equal(["clusterresourceplacement.placement.kubernetes-fleet.io/kuard-demo created"], Lines((await Succeeds("apply", "-f", Sample("crp-2.yaml"))).Stdout));
        Assert.Equal(["clusterresourceplacement.placement.kubernetes-fleet.io/kuard-demo unchanged"], Lines((await Succeeds("apply", "-f", Sample("crp-2.yaml"))).Stdout));

        var table = await Placement("");
        Assert.Equal(["NAME", "GEN", "SCHEDULED", "SCHEDULEDGEN", "APPLIED", "APPLIEDGEN", "AGE"], table.Headers);
        Assert.Equal(["kuard-demo", "1", "True", "1", "True", "1"], table.Rows[0].Values.Take(6));
        Assert.Matches("^[0-9]+s$", table.Rows[0]["AGE"]);
        foreach (var alias in new[] { "clusterresourceplacements", "clusterresourceplacement", "clusterresourceplacements.placement.kubernetes-fleet.io" })
            Assert.Equal(table.Rows[0]["NAME"], TableText.Parse((await Succeeds("get", alias, "kuard-demo")).Stdout).Rows.Single()["NAME"]);
        var wide = await Placement("aks-member-1,aks-member-2", "-o", "wide");
        Assert.Equal(["NAME", "GEN", "SCHEDULED", "SCHEDULEDGEN", "APPLIED", "APPLIEDGEN", "CLUSTERS", "AGE"], wide.Headers);

        // -o json: the object as applied, with the metadata the hub set, and a status in Fleet's shape.
        var json = JsonNode.Parse((await Succeeds("get", "crp", "kuard-demo", "-o", "json")).Stdout);
        // Per cluster, as the hub writes it back to its API server (Fleet v1): Scheduled and Applied.
        const string applied = """
            { "type": "Scheduled", "status": "True", "reason": "ScheduleSucceeded", "message": "<any>", "observedGeneration": 1, "lastTransitionTime": "<any>" },
            { "type": "Applied", "status": "True", "reason": "ApplySucceeded", "message": "<any>", "observedGeneration": 1, "lastTransitionTime": "<any>" }
            """;
        JsonAssert.Same($$"""
            {
              "apiVersion": "placement.kubernetes-fleet.io/v1", "kind": "ClusterResourcePlacement",
              "metadata": { "name": "kuard-demo", "creationTimestamp": "<any>", "uid": "<any>", "generation": 1 },
              "spec": {
                "resourceSelectors": [ { "group": "", "version": "v1", "kind": "Namespace", "name": "kuard-demo" } ],
                "policy": { "affinity": { "clusterAffinity": { "requiredDuringSchedulingIgnoredDuringExecution": { "clusterSelectorTerms": [
                  { "labelSelector": { "matchLabels": { "fleet.azure.com/location": "eastus" } } } ] } } } }
              },
              "status": {
                "selectedResources": [
                  { "version": "v1", "kind": "Namespace", "name": "kuard-demo" },
                  { "group": "apps", "version": "v1", "kind": "Deployment", "name": "kuard", "namespace": "kuard-demo" },
                  { "version": "v1", "kind": "Service", "name": "kuard", "namespace": "kuard-demo" },
                  { "group": "networking.fleet.azure.com", "version": "v1alpha1", "kind": "ServiceExport", "name": "kuard", "namespace": "kuard-demo" }
                ],
                "observedResourceIndex": "<any>",
                "placementStatuses": [
                  { "clusterName": "aks-member-1", "conditions": [ {{applied}} ] },
                  { "clusterName": "aks-member-2", "conditions": [ {{applied}} ] }
                ],
                "conditions": [
                  { "type": "ClusterResourcePlacementScheduled", "status": "True", "reason": "SchedulingPolicyFulfilled", "message": "<any>",
                    "observedGeneration": 1, "lastTransitionTime": "<any>" },
                  { "type": "ClusterResourcePlacementApplied", "status": "True", "reason": "ApplySucceeded", "message": "<any>",
                    "observedGeneration": 1, "lastTransitionTime": "<any>" }
                ]
              }
            }
            """, json);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string?)json!["status"]!["conditions"]![0]!["lastTransitionTime"]);
        var yaml = ManifestReader.Read((await Succeeds("get", "crp", "kuard-demo", "-o", "yaml")).Stdout, "yaml").Single();
        JsonAssert.Same(json, JsonNode.Parse(yaml.Json));
        // A list is a kubectl List.
        var list = JsonNode.Parse((await Succeeds("get", "crp", "-o", "json")).Stdout)!;
        Assert.Equal(["apiVersion", "kind", "items"], list.AsObject().Select(kv => kv.Key));
        Assert.Equal(("v1", "List"), ((string?)list["apiVersion"], (string?)list["kind"]));
        JsonAssert.Same(json, list["items"]!.AsArray().Single());
        Assert.StartsWith("apiVersion: v1\nkind: List\nitems:\n- apiVersion: placement.kubernetes-fleet.io/v1\n", (await Succeeds("get", "crp", "-o", "yaml")).Stdout.Replace("\r", ""));

        var describe = (await Succeeds("describe", "crp", "kuard-demo")).Stdout;
        Assert.Matches(@"(?m)^Name:\s+kuard-demo$", describe);
        Assert.Matches(@"(?m)^Generation:\s+1$", describe);
        Assert.Matches(@"(?m)^Created:\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", describe);
        Assert.Matches(@"(?m)^Placement type:\s+PickAll$", describe);
        Assert.Matches(@"(?m)^Cluster affinity:\s+fleet\.azure\.com/location=eastus$", describe);
        Assert.Matches(@"(?m)^\s+ClusterResourcePlacementScheduled\s+True\s+SchedulingPolicyFulfilled\s", describe);
        Assert.Matches(@"(?m)^\s+ClusterResourcePlacementApplied\s+True\s+ApplySucceeded\s", describe);
        Assert.Matches(@"(?m)^\s+apps\s+v1\s+Deployment\s+kuard-demo\s+kuard$", describe);
        Assert.Matches(@"(?m)^\s+aks-member-1\s+True\s+ApplySucceeded\s+1\s+\S", describe);
        Assert.Matches(@"(?m)^\s+aks-member-2\s+True\s+ApplySucceeded\s+1\s+\S", describe);
        Assert.DoesNotContain("aks-member-3", describe);
        Assert.DoesNotContain("Failed resources:", describe);

        Assert.Equal("Error from server (NotFound): clusterresourceplacements.placement.kubernetes-fleet.io \"nothing\" not found", await Fails("get", "crp", "nothing"));
        Assert.Equal("Error from server (NotFound): clusterresourceplacements.placement.kubernetes-fleet.io \"nothing\" not found", await Fails("describe", "crp", "nothing"));
        Assert.Equal("error: KIND: unknown resource type \"ns\"; use memberclusters (clusters), serviceexports (svcexport), serviceimports (svcimport), " +
            "multiclusterservices (mcs) or clusterresourceplacements (crp)", await Fails("describe", "ns", "kuard-demo"));

        // The hub's own objects by kind: NAME AGE (NAMESPACE first for -A), -o json the stored objects.
        var namespaces = TableText.Parse((await Succeeds("get", "ns")).Stdout);
        Assert.Equal(["NAME", "AGE"], namespaces.Headers);
        Assert.Equal(["kuard-demo"], namespaces.Rows.Select(r => r["NAME"]));
        Assert.Equal(["kuard"], TableText.Parse((await Succeeds("get", "deploy", "-n", "kuard-demo")).Stdout).Rows.Select(r => r["NAME"]));
        var services = TableText.Parse((await Succeeds("get", "services", "-A")).Stdout);
        Assert.Equal(["NAMESPACE", "NAME", "AGE"], services.Headers);
        Assert.Equal(["kuard-demo", "kuard"], services.Rows.Single().Values.Take(2));
        var deployment = JsonNode.Parse((await Succeeds("get", "deployments.apps", "kuard", "-n", "kuard-demo", "-o", "json")).Stdout)!;
        Assert.Equal(("apps/v1", "Deployment", "kuard", "kuard-demo", 2), ((string?)deployment["apiVersion"], (string?)deployment["kind"],
            (string?)deployment["metadata"]!["name"], (string?)deployment["metadata"]!["namespace"], (int?)deployment["spec"]!["replicas"]));
        var none = await Succeeds("get", "svc");
        Assert.Equal(("", "No resources found in default namespace."), (none.Stdout, none.Stderr.TrimEnd()));
        Assert.Equal("Error from server (NotFound): deployments.apps \"web\" not found", await Fails("get", "deploy", "web", "-n", "kuard-demo"));
        // A kind the CLI has no name for answers to its plural once an object of it is stored; until then it is unknown.
        Assert.StartsWith("error: KIND: unknown resource type \"roles\"; use memberclusters (clusters), ", await Fails("get", "roles", "-A"));
        await SucceedsWith(Role, "apply", "-f", "-");
        Assert.Equal(["kuard-demo", "kuard-reader"], TableText.Parse((await Succeeds("get", "roles", "-A")).Stdout).Rows.Single().Values.Take(2));
        Assert.Equal(["kuard-reader"], TableText.Parse((await Succeeds("get", "role.rbac.authorization.k8s.io", "-n", "kuard-demo")).Stdout).Rows.Select(r => r["NAME"]));
        Assert.Equal(["kuard-viewer"], TableText.Parse((await Succeeds("get", "clusterroles")).Stdout).Rows.Select(r => r["NAME"]));

        // --cluster reads the member's objects: the placement put the namespace with everything in it there.
        Assert.Equal(["kuard-demo"], TableText.Parse((await Succeeds("get", "namespaces", "--cluster", "aks-member-1")).Stdout).Rows.Select(r => r["NAME"]));
        Assert.Equal(["kuard"], TableText.Parse((await Succeeds("get", "deploy", "-n", "kuard-demo", "--cluster", "aks-member-2")).Stdout).Rows.Select(r => r["NAME"]));
        Assert.Equal("No resources found", (await Succeeds("get", "ns", "--cluster", "aks-member-3")).Stderr.TrimEnd());
        // serviceexports keep their meaning: the members' exports as the hub sees them (the placed ones here).
        Assert.Equal(["aks-member-1", "aks-member-2"], TableText.Parse((await Succeeds("get", "svcexport", "-A")).Stdout).Rows.Select(r => r["CLUSTER"]));

        // delete -f without --cluster deletes from the hub; the placement takes kuard back from the members.
        Assert.Equal(["clusterresourceplacement.placement.kubernetes-fleet.io \"kuard-demo\" deleted"], Lines((await Succeeds("delete", "-f", Sample("crp-2.yaml"))).Stdout));
        var noPlacements = await Succeeds("get", "crp");
        Assert.Equal(("", "No resources found"), (noPlacements.Stdout, noPlacements.Stderr.TrimEnd()));
        await Eventually.Get(() => Fleetl4("get", "ns", "--cluster", "aks-member-1"), r => r.ExitCode == 0 && r.Stdout == "", "kuard-demo taken back from aks-member-1");
        Assert.Equal(["namespace \"kuard-demo\" deleted"], Lines((await SucceedsWith(Namespace, "delete", "-f", "-")).Stdout));
        Assert.Equal("No resources found", (await Succeeds("get", "ns")).Stderr.TrimEnd());
        Assert.Equal("Error from server (NotFound): clusterresourceplacement.placement.kubernetes-fleet.io \"kuard-demo\" not found",
            await Fails("delete", "-f", Sample("crp-2.yaml")));
    }

    [Fact]
    public async Task Cluster_label_sets_and_removes_labels_with_kubectl_s_syntax_and_the_placement_follows()
    {
        await Join("aks-member-1", "eastus");
        await Join("aks-member-3", "westus");
        await SucceedsWith(Namespace, "apply", "-f", "-");
        await Succeeds("apply", "-f", Sample("crp-2.yaml"));
        await Placement("aks-member-1", "-o", "wide");

        Assert.Equal(["membercluster/aks-member-3 labeled"], Lines((await Succeeds("cluster", "label", "aks-member-3", "fleet.azure.com/location=eastus", "tier=web")).Stdout));
        var labels = JsonNode.Parse((await Succeeds("get", "clusters", "aks-member-3", "-o", "json")).Stdout)!["metadata"]!["labels"];
        JsonAssert.Same("""{ "fleet.azure.com/location": "eastus", "tier": "web" }""", labels);
        await Placement("aks-member-1,aks-member-3", "-o", "wide");

        Assert.Equal(["membercluster/aks-member-3 labeled"], Lines((await Succeeds("cluster", "label", "aks-member-3", "fleet.azure.com/location-")).Stdout));
        var clusters = TableText.Parse((await Succeeds("get", "clusters", "-o", "wide")).Stdout);
        Assert.Equal(["aks-member-1", "aks-member-3"], clusters.Rows.Select(r => r["NAME"]));
        Assert.Equal(["fleet.azure.com/location=eastus", "tier=web"], clusters.Rows.Select(r => r["LABELS"]));
        await Placement("aks-member-1", "-o", "wide");

        // Errors name the argument; the hub's refusals come back as they are.
        Assert.Equal("error: LABELS: \"tier\" is neither key=value nor key- (to remove the label)", await Fails("cluster", "label", "aks-member-3", "tier"));
        Assert.Equal("error: LABELS: \"tier\" is both set and removed", await Fails("cluster", "label", "aks-member-3", "tier=db", "tier-"));
        Assert.StartsWith("error: labels", await Fails("cluster", "label", "aks-member-3", "bad key=x"));
        Assert.Equal("error: cluster: cluster \"nobody\" has not joined the fleet", await Fails("cluster", "label", "nobody", "a=b"));
        // A member with an agent has the agent's labels.
        using (var fleet = _hub.Client()) await fleet.JoinClusterAsync("agent-member");
        Assert.Equal("error: cluster: cluster \"agent-member\" has an agent: its labels are the agent's (fleetl4 agent --label), set on every join",
            await Fails("cluster", "label", "agent-member", "a=b"));
    }
}
