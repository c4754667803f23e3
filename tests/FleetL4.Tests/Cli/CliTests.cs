using System.Text.Json.Nodes;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Cli;

/// <summary>The `fleetl4` CLI end to end, as processes, against a hub process started by the test.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private HubProcess _hub = null!;
    private string Hub => _hub.ApiUrl;

    public async Task InitializeAsync() => _hub = await HubProcess.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private Task<ProcessRunner.Result> Fleetl4(params string[] args) => CliRunner.Run(Hub, null, args);

    private static string[] Lines(string text) => text.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Sample(string file) => Path.Combine(CliRunner.RepoRoot(), "samples", "kuard", file);

    private const string Slice = """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: kuard-abc
          namespace: kuard-demo
          labels:
            kubernetes.io/service-name: kuard
        addressType: IPv4
        ports:
          - port: 8080
        endpoints:
          - addresses: ["ADDR1"]
            conditions: { ready: true }
          - addresses: ["ADDR2"]
        """;

    private async Task ApplyWorkload(string cluster, string subnet)
    {
        var apply = await Fleetl4("apply", "-f", Sample("kuard-export-service.yaml"), "--cluster", cluster);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal(["deployment.apps/kuard created", "service/kuard created", "serviceexport.networking.fleet.azure.com/kuard created"], Lines(apply.Stdout));
        Assert.Equal(["Warning: Deployment kuard: stored; FleetL4 does not act on apps/v1 Deployment"], Lines(apply.Stderr));
        var slice = await CliRunner.Run(Hub, Slice.Replace("ADDR1", subnet + ".1").Replace("ADDR2", subnet + ".2"),
            "apply", "-f", "-", "--cluster", cluster);
        Assert.True(slice.ExitCode == 0, slice.ToString());
    }

    [Fact]
    public async Task The_seed_walkthrough_through_the_CLI_with_kubectl_columns_and_CRD_shaped_json()
    {
        Assert.Equal(0, (await Fleetl4("cluster", "join", "aks-member-1", "--label", "fleet.azure.com/location=eastus")).ExitCode);
        Assert.Equal(0, (await Fleetl4("cluster", "join", "aks-member-2", "-l", "fleet.azure.com/location=eastus")).ExitCode);
        await ApplyWorkload("aks-member-1", "10.1.0");
        await ApplyWorkload("aks-member-2", "10.2.0");

        var table = await Fleetl4("get", "serviceexport", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1");
        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "IS-VALID", "IS-CONFLICTED", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["kuard", "True", "False"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);

        Assert.Equal(0, (await Fleetl4("apply", "-f", Sample("kuard-mcs.yaml"), "--cluster", "aks-member-1")).ExitCode);
        // Backends and load balancer sync are not CRD fields: -o wide shows them.
        var wide = await Eventually.Get(async () => TableText.Parse((await Fleetl4("get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1", "-o", "wide")).Stdout),
            t => t.Rows is [{ } row] && row["EXTERNAL-IP"] != "<pending>" && row["BACKENDS"] == "4" && row["LB-IN-SYNC"] == "True",
            "MCS with an ingress IP and 4 backends in sync", TimeSpan.FromSeconds(30));
        Assert.Equal(["NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID", "BACKENDS", "LB-IN-SYNC", "AGE"], wide.Headers);
        var ip = wide.Rows[0]["EXTERNAL-IP"];

        // -o json: exactly the CRD's fields.
        var mcs = JsonNode.Parse((await Fleetl4("get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1", "-o", "json")).Stdout);
        JsonAssert.Same($$"""
            {
              "apiVersion": "networking.fleet.azure.com/v1alpha1", "kind": "MultiClusterService",
              "metadata": { "name": "kuard", "namespace": "kuard-demo", "creationTimestamp": "<any>",
                            "annotations": { "networking.fleet.azure.com/member-cluster": "aks-member-1" } },
              "spec": { "serviceImport": { "name": "kuard" } },
              "status": {
                "loadBalancer": { "ingress": [ { "ip": "{{ip}}", "ipMode": "VIP" } ] },
                "conditions": [ { "type": "Valid", "status": "True", "reason": "FoundServiceImport", "message": "<any>",
                                  "observedGeneration": 1, "lastTransitionTime": "<any>" } ]
              }
            }
            """, mcs);

        var mcsTable = TableText.Parse((await Fleetl4("get", "multiclusterservices", "-n", "kuard-demo", "--cluster", "aks-member-1")).Stdout);
        Assert.Equal(["NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID", "AGE"], mcsTable.Headers);
        Assert.Equal(["kuard", "kuard", ip, "True"], mcsTable.Rows.Single().Values.Take(4));

        var list = JsonNode.Parse((await Fleetl4("get", "svcexport", "-A", "-o", "json")).Stdout)!;
        Assert.Equal(["apiVersion", "kind", "items"], list.AsObject().Select(kv => kv.Key));
        Assert.Equal(("v1", "List"), ((string?)list["apiVersion"], (string?)list["kind"]));
        Assert.Equal(["aks-member-1", "aks-member-2"], list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["annotations"]![FleetAnnotations.MemberCluster]).Order());
        foreach (var item in list["items"]!.AsArray())
            JsonAssert.Same($$"""
                {
                  "apiVersion": "networking.fleet.azure.com/v1beta1", "kind": "ServiceExport",
                  "metadata": { "name": "kuard", "namespace": "kuard-demo", "creationTimestamp": "<any>",
                                "annotations": { "networking.fleet.azure.com/member-cluster": "{{item!["metadata"]!["annotations"]![FleetAnnotations.MemberCluster]}}" } },
                  "status": { "conditions": [
                    { "type": "Valid", "status": "True", "reason": "ServiceIsValid", "message": "<any>", "observedGeneration": 1, "lastTransitionTime": "<any>" },
                    { "type": "Conflict", "status": "False", "reason": "NoConflictFound", "message": "<any>", "observedGeneration": 1, "lastTransitionTime": "<any>" }
                  ] }
                }
                """, item);

        // Weight and endpoints are not CRD fields either: -o wide and describe show them.
        var exportsWide = TableText.Parse((await Fleetl4("get", "svcexport", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1", "-o", "wide")).Stdout);
        Assert.Equal(["NAME", "IS-VALID", "IS-CONFLICTED", "WEIGHT", "ENDPOINTS", "AGE"], exportsWide.Headers);
        Assert.Equal(["kuard", "True", "False", "1", "2"], exportsWide.Rows.Single().Values.Take(5));
        var describeExport = (await Fleetl4("describe", "svcexport", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1")).Stdout;
        Assert.Matches(@"(?m)^Weight:\s+1$", describeExport);
        Assert.Matches(@"(?m)^\s+10\.1\.0\.1\s+True\s+True\s+False\s*$", describeExport);
        Assert.Matches(@"(?m)^\s+10\.1\.0\.2\s+True\s+True\s+False\s*$", describeExport); // no conditions: ready

        var yaml = await Fleetl4("get", "svcimport", "kuard", "-n", "kuard-demo", "-o", "yaml");
        JsonAssert.Same("""
            {
              "apiVersion": "networking.fleet.azure.com/v1alpha1", "kind": "ServiceImport",
              "metadata": { "name": "kuard", "namespace": "kuard-demo", "creationTimestamp": "<any>" },
              "status": {
                "type": "ClusterSetIP",
                "ports": [ { "protocol": "TCP", "port": 8080 } ],
                "sessionAffinity": "None",
                "clusters": [ { "cluster": "aks-member-1" }, { "cluster": "aks-member-2" } ]
              }
            }
            """, JsonNode.Parse(FleetL4.Members.ManifestReader.Read(yaml.Stdout, "yaml").Single().Json));
        var imports = TableText.Parse((await Fleetl4("get", "svcimport", "-n", "kuard-demo", "-o", "wide")).Stdout);
        Assert.Equal(["NAME", "TYPE", "PORTS", "CLUSTERS", "BACKENDS", "IMPORTERS", "AGE"], imports.Headers);
        Assert.Equal(["kuard", "ClusterSetIP", "8080/TCP", "aks-member-1,aks-member-2", "4", "1"], imports.Rows.Single().Values.Take(6));

        var describe = (await Fleetl4("describe", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1")).Stdout;
        Assert.Matches(@"(?m)^  aks-member-1: 10\.1\.0\.1, 10\.1\.0\.2$", describe);
        Assert.Matches(@"(?m)^  aks-member-2: 10\.2\.0\.1, 10\.2\.0\.2$", describe);
        Assert.Matches(@"(?m)^Load balancer:\s+in sync$", describe);
        Assert.Matches(@"(?m)^\s+Valid\s+True\s+FoundServiceImport\s", describe);

        var delete = await Fleetl4("delete", "-f", Sample("kuard-mcs.yaml"), "--cluster", "aks-member-1");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("multiclusterservice.networking.fleet.azure.com \"kuard\" deleted", delete.Stdout);
        var none = await Fleetl4("get", "mcs", "-n", "kuard-demo", "--cluster", "aks-member-1");
        Assert.Equal(0, none.ExitCode);
        Assert.Equal("", none.Stdout);
        Assert.Contains("No resources found in kuard-demo namespace.", none.Stderr);
        var again = await Fleetl4("delete", "-f", Sample("kuard-mcs.yaml"), "--cluster", "aks-member-1");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("Error from server (NotFound): multiclusterservice.networking.fleet.azure.com \"kuard\" not found", again.Stderr);
    }

    [Fact]
    public async Task A_condition_an_object_does_not_have_prints_blank_like_kubectl()
    {
        Assert.Equal(0, (await Fleetl4("cluster", "join", "no-service")).ExitCode);
        var apply = await CliRunner.Run(Hub, """
            apiVersion: networking.fleet.azure.com/v1beta1
            kind: ServiceExport
            metadata: { name: web, namespace: shop }
            """, "apply", "-f", "-", "--cluster", "no-service");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // Never valid (no Service): no Conflict condition, so IS-CONFLICTED is an empty cell, not "Unknown".
        var table = TableText.Parse((await Fleetl4("get", "svcexport", "-n", "shop", "--cluster", "no-service")).Stdout);
        Assert.Equal(["NAME", "IS-VALID", "IS-CONFLICTED", "AGE"], table.Headers);
        Assert.Equal(["web", "False", ""], table.Rows.Single().Values.Take(3));
        var json = JsonNode.Parse((await Fleetl4("get", "svcexport", "web", "-n", "shop", "--cluster", "no-service", "-o", "json")).Stdout)!;
        JsonAssert.Same("""
            [ { "type": "Valid", "status": "False", "reason": "ServiceNotFound", "message": "<any>", "observedGeneration": 1, "lastTransitionTime": "<any>" } ]
            """, json["status"]!["conditions"]);
    }

    [Fact]
    public async Task The_seed_manifests_are_accepted_unchanged()
    {
        // samples/kuard holds the walkthrough's manifests as users have them (the repository's own copies).
        Assert.Equal(0, (await Fleetl4("cluster", "join", "seed-member", "-l", "fleet.azure.com/location=eastus")).ExitCode);
        var export = await Fleetl4("apply", "-f", Sample("kuard-export-service.yaml"), "--cluster", "seed-member");
        Assert.True(export.ExitCode == 0, export.ToString());
        var mcs = await Fleetl4("apply", "-f", Sample("kuard-mcs.yaml"), "--cluster", "seed-member");
        Assert.True(mcs.ExitCode == 0, mcs.ToString());
        Assert.Equal("multiclusterservice.networking.fleet.azure.com/kuard created", mcs.Stdout.Trim());
        // Valid (the Service exists), and not conflicted: no endpoints yet, but it takes part in conflict resolution.
        var table = TableText.Parse((await Fleetl4("get", "svcexport", "kuard", "-n", "kuard-demo", "--cluster", "seed-member")).Stdout);
        Assert.Equal(["kuard", "True", "False"], table.Rows.Single().Values.Take(3));
    }

    [Fact]
    public async Task A_bad_document_is_refused_naming_document_and_field_and_nothing_is_applied()
    {
        Assert.Equal(0, (await Fleetl4("cluster", "join", "bad-input")).ExitCode);
        const string manifest = """
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: ServiceExport
            metadata: { name: web, namespace: shop }
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: web, namespace: shop }
            spec:
              ports:
                - port: 70000
            """;
        var result = await CliRunner.Run(Hub, manifest, "apply", "-f", "-", "--cluster", "bad-input");
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^error: spec\.ports\[0\]\.port: document 2 \(Service shop/web\): 70000 ", result.Stderr);
        var exports = await Fleetl4("get", "svcexport", "-A", "--cluster", "bad-input", "-o", "json");
        Assert.Empty(JsonNode.Parse(exports.Stdout)!["items"]!.AsArray());

        // A kind FleetL4 acts on, in an apiVersion it does not serve: refused, not stored with a warning.
        var version = await CliRunner.Run(Hub, "apiVersion: v1\nkind: ServiceExport\nmetadata: { name: web, namespace: shop }\n", "apply", "-f", "-", "--cluster", "bad-input");
        Assert.Equal(1, version.ExitCode);
        Assert.StartsWith("error: apiVersion: document 1 (ServiceExport shop/web): v1 is not served for ServiceExport; served: networking.fleet.azure.com/v1alpha1, networking.fleet.azure.com/v1beta1", version.Stderr, StringComparison.Ordinal);

        var yaml = await CliRunner.Run(Hub, "kind: [unclosed", "apply", "-f", "-", "--cluster", "bad-input");
        Assert.Equal(1, yaml.ExitCode);
        Assert.StartsWith("error: ", yaml.Stderr);
        Assert.Contains("invalid YAML", yaml.Stderr);

        var mcs = await CliRunner.Run(Hub, """
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: MultiClusterService
            metadata: { name: web, namespace: shop }
            spec: { serviceImport: { name: 1web } }
            """, "apply", "-f", "-", "--cluster", "bad-input");
        Assert.Equal(1, mcs.ExitCode);
        Assert.StartsWith("error: spec.serviceImport.name: document 1 (MultiClusterService shop/web): \"1web\" is not a DNS-1035 label", mcs.Stderr);
        Assert.Empty(JsonNode.Parse((await Fleetl4("get", "mcs", "-A", "--cluster", "bad-input", "-o", "json")).Stdout)!["items"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_kinds_and_clusters_are_errors_with_a_non_zero_exit_code()
    {
        var kind = await Fleetl4("get", "pods");
        Assert.Equal(1, kind.ExitCode);
        Assert.Equal(["error: KIND: unknown resource type \"pods\"; use memberclusters (clusters), serviceexports (svcexport), serviceimports (svcimport), " +
            "multiclusterservices (mcs), clusterresourceplacements (crp), or the kind of an object applied to the hub (or, with --cluster, to that member): " +
            "namespaces (ns), services (svc), deployments (deploy), configmaps (cm), ..."], Lines(kind.Stderr));

        var cluster = await Fleetl4("apply", "-f", Sample("kuard-mcs.yaml"), "--cluster", "nobody");
        Assert.Equal(1, cluster.ExitCode);
        Assert.Equal(["error: cluster: cluster \"nobody\" has not joined the fleet (fleetl4 cluster join nobody)"], Lines(cluster.Stderr));

        var missing = await Fleetl4("get", "mcs", "nothing-here", "-n", "kuard-demo");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal(["Error from server (NotFound): multiclusterservices \"nothing-here\" not found"], Lines(missing.Stderr));
    }

    [Fact]
    public async Task An_unreachable_hub_is_an_error_naming_every_address_tried()
    {
        // Nothing listens on these ports: each refuses at once.
        var ports = LoopbackBlock.FreePorts(2);
        var (first, second) = (ports[0], ports[1]);
        var result = await CliRunner.Run($"127.0.0.1:{first},http://127.0.0.1:{second}", null, "get", "clusters");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: cannot reach the FleetL4 hub at http://127.0.0.1:{first}, http://127.0.0.1:{second}: ", result.Stderr);
        Assert.EndsWith("; is it running? (set --hub or FLEETL4_HUB)", result.Stderr.TrimEnd());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_hub_that_never_accepts_is_given_up_after_the_connect_timeout_naming_every_address()
    {
        using var first = await UnansweredPort.OpenAsync();
        using var second = await UnansweredPort.OpenAsync();
        var result = await CliRunner.Run($"{first.Url},{second.Url}", null, "--connect-timeout", "00:00:01", "get", "clusters");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: cannot reach the FleetL4 hub at {first.Url}, {second.Url}: ", result.Stderr);
        Assert.EndsWith("; is it running? (set --hub or FLEETL4_HUB)", result.Stderr.TrimEnd());
        // It waited for each hub in turn (no upper bound: a busy machine only makes it slower).
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(2), $"gave up after {result.Elapsed}");
    }

    [Fact]
    public async Task A_file_updating_existing_objects_with_one_bad_document_changes_nothing()
    {
        Assert.Equal(0, (await Fleetl4("cluster", "join", "update-member", "-l", "fleet.azure.com/location=eastus")).ExitCode);
        Assert.Equal(0, (await Fleetl4("apply", "-f", Sample("kuard-export-service.yaml"), "--cluster", "update-member")).ExitCode);
        Assert.Equal(0, (await Fleetl4("apply", "-f", Sample("kuard-mcs.yaml"), "--cluster", "update-member")).ExitCode);
        await Eventually.Get(async () => TableText.Parse((await Fleetl4("get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "update-member", "-o", "wide")).Stdout),
            t => t.Rows is [{ } row] && row["EXTERNAL-IP"] != "<pending>" && row["LB-IN-SYNC"] == "True", "the MCS served", TimeSpan.FromSeconds(30));
        var before = await Stored("update-member");

        // Valid updates of the Service (another port) and of the ServiceExport around an MCS update that is invalid.
        const string update = """
            apiVersion: v1
            kind: Service
            metadata: { name: kuard, namespace: kuard-demo, labels: { app: kuard } }
            spec:
              selector: { app: kuard }
              ports:
                - port: 9090
            ---
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: MultiClusterService
            metadata: { name: kuard, namespace: kuard-demo }
            spec: { serviceImport: { name: 1kuard } }
            ---
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: ServiceExport
            metadata: { name: kuard, namespace: kuard-demo, labels: { tier: web } }
            """;
        var bad = await CliRunner.Run(Hub, update, "apply", "-f", "-", "--cluster", "update-member");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("", bad.Stdout);
        Assert.StartsWith("error: spec.serviceImport.name: document 2 (MultiClusterService kuard-demo/kuard): \"1kuard\" is not a DNS-1035 label", bad.Stderr);
        Assert.Equal(before, await Stored("update-member"));

        // The same file without its bad document does change what is stored: the comparison above would have seen it.
        var good = await CliRunner.Run(Hub, update.Replace("name: 1kuard", "name: kuard"), "apply", "-f", "-", "--cluster", "update-member");
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Equal(["service/kuard configured", "multiclusterservice.networking.fleet.azure.com/kuard unchanged", "serviceexport.networking.fleet.azure.com/kuard configured"],
            Lines(good.Stdout));
        Assert.Matches(@"(?m)^Service:\s+ClusterIP 9090/TCP", (await Fleetl4("describe", "svcexport", "kuard", "-n", "kuard-demo", "--cluster", "update-member")).Stdout);
    }

    /// <summary>What the hub holds for a cluster, as the CLI shows it: the CRD-shaped objects and describe's details
    /// (the Service's ports are in describe only).</summary>
    private async Task<string> Stored(string cluster)
    {
        var parts = new List<string>();
        foreach (var args in new[]
                 {
                     new[] { "get", "svcexport", "-A", "--cluster", cluster, "-o", "json" }, ["get", "mcs", "-A", "--cluster", cluster, "-o", "json"],
                     ["get", "svcimport", "-A", "-o", "json"], ["describe", "svcexport", "kuard", "-n", "kuard-demo", "--cluster", cluster],
                     ["describe", "mcs", "kuard", "-n", "kuard-demo", "--cluster", cluster],
                 })
        {
            var result = await Fleetl4(args);
            Assert.True(result.ExitCode == 0, result.ToString());
            parts.Add(result.Stdout);
        }
        return string.Join("\n---\n", parts);
    }
}
