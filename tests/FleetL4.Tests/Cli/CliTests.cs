using System.Text.Json.Nodes;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Cli;

/// <summary>The `fleetl4` CLI end to end, as processes, against a hub process started by the test.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private HubProcess _hub = null!;
    private string Hub => $"127.0.0.1:{_hub.GatewayPort}";

    public async Task InitializeAsync() => _hub = await HubProcess.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private Task<ProcessRunner.Result> Fleetl4(params string[] args) => CliRunner.Run(Hub, null, args);

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
        Assert.Contains("serviceexport.networking.fleet.azure.com/kuard created", apply.Stdout);
        Assert.Contains("Warning: Deployment kuard", apply.Stderr);
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
        var mcs = await Eventually.Get(async () =>
            JsonNode.Parse((await Fleetl4("get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1", "-o", "json")).Stdout)!,
            m => m["status"]!["loadBalancer"]!["ingress"]!.AsArray().Count == 1 && m["status"]!["backends"]!.AsArray().Count == 4,
            "MCS with an ingress IP and 4 backends", TimeSpan.FromSeconds(30));
        Assert.Equal("MultiClusterService", (string?)mcs["kind"]);
        Assert.Equal("networking.fleet.azure.com/v1alpha1", (string?)mcs["apiVersion"]);
        Assert.Equal("kuard", (string?)mcs["spec"]!["serviceImport"]!["name"]);
        var ip = (string?)mcs["status"]!["loadBalancer"]!["ingress"]![0]!["ip"];
        var valid = mcs["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Valid")!;
        Assert.Equal(("True", "FoundServiceImport"), ((string?)valid["status"], (string?)valid["reason"]));

        var mcsTable = await Fleetl4("get", "multiclusterservices", "-n", "kuard-demo", "--cluster", "aks-member-1");
        var mcsLines = mcsTable.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID", "AGE"], mcsLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["kuard", "kuard", ip!, "True"], mcsLines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);

        var list = JsonNode.Parse((await Fleetl4("get", "svcexport", "-A", "-o", "json")).Stdout)!;
        Assert.Equal("List", (string?)list["kind"]);
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.All(list["items"]!.AsArray(), item => Assert.Equal("ServiceExport", (string?)item!["kind"]));

        var yaml = await Fleetl4("get", "svcimport", "kuard", "-n", "kuard-demo", "-o", "yaml");
        Assert.Contains("kind: ServiceImport", yaml.Stdout);
        Assert.Contains("cluster: aks-member-2", yaml.Stdout);

        var describe = await Fleetl4("describe", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1");
        Assert.Contains("aks-member-2: 10.2.0.1, 10.2.0.2", describe.Stdout);
        Assert.Contains("FoundServiceImport", describe.Stdout);

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
    public async Task The_original_seed_manifests_are_accepted_unchanged()
    {
        var seed = Path.Combine(CliRunner.RepoRoot(), "..", "shared", "fixtures", "seed");
        Assert.True(Directory.Exists(seed), $"seed fixtures expected at {seed}");
        Assert.Equal(0, (await Fleetl4("cluster", "join", "seed-member", "-l", "fleet.azure.com/location=eastus")).ExitCode);
        var export = await Fleetl4("apply", "-f", Path.Combine(seed, "kuard-export-service.yaml"), "--cluster", "seed-member");
        Assert.True(export.ExitCode == 0, export.ToString());
        var mcs = await Fleetl4("apply", "-f", Path.Combine(seed, "kuard-mcs.yaml"), "--cluster", "seed-member");
        Assert.True(mcs.ExitCode == 0, mcs.ToString());
        var get = await Fleetl4("get", "svcexport", "kuard", "-n", "kuard-demo", "--cluster", "seed-member");
        Assert.Contains("True", get.Stdout); // valid: the Service exists; no endpoints yet
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
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("document 2", result.Stderr);
        Assert.Contains("ports[0].port", result.Stderr);
        var exports = await Fleetl4("get", "svcexport", "-A", "--cluster", "bad-input", "-o", "json");
        Assert.Empty(JsonNode.Parse(exports.Stdout)!["items"]!.AsArray());

        var yaml = await CliRunner.Run(Hub, "kind: [unclosed", "apply", "-f", "-", "--cluster", "bad-input");
        Assert.NotEqual(0, yaml.ExitCode);
        Assert.Contains("invalid YAML", yaml.Stderr);

        var mcs = await CliRunner.Run(Hub, """
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: MultiClusterService
            metadata: { name: web, namespace: shop }
            spec: { serviceImport: { name: 1web } }
            """, "apply", "-f", "-", "--cluster", "bad-input");
        Assert.NotEqual(0, mcs.ExitCode);
        Assert.Contains("spec.serviceImport.name", mcs.Stderr);
    }

    [Fact]
    public async Task Unknown_kinds_and_clusters_are_errors_with_a_non_zero_exit_code()
    {
        var kind = await Fleetl4("get", "pods");
        Assert.NotEqual(0, kind.ExitCode);
        Assert.Contains("unknown resource type \"pods\"", kind.Stderr);

        var cluster = await Fleetl4("apply", "-f", Sample("kuard-mcs.yaml"), "--cluster", "nobody");
        Assert.NotEqual(0, cluster.ExitCode);
        Assert.Contains("\"nobody\" has not joined", cluster.Stderr);

        var missing = await Fleetl4("get", "mcs", "nothing-here", "-n", "kuard-demo");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("NotFound", missing.Stderr);
    }

    [Fact]
    public async Task An_unreachable_hub_fails_within_ten_seconds()
    {
        var result = await CliRunner.Run("127.0.0.1:1", null, "get", "clusters");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("cannot reach the FleetL4 hub at 127.0.0.1:1", result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10), $"took {result.Elapsed}");
    }
}
