using System.Text.Json.Nodes;
using FleetL4.FakeArm;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.AzureProvider;

/// <summary>The hub as a process with FleetL4:Provider=Azure (settings on its command line) and the CLI as processes.</summary>
public sealed class AzureHubProcessTests
{
    [Fact]
    public async Task The_seed_walkthrough_shows_the_Azure_public_IP_as_EXTERNAL_IP_and_describe_shows_the_Azure_side()
    {
        await using var arm = await FakeArmServer.StartAsync();
        var settings = AzureHub.Settings(arm).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        await using var hub = await HubProcess.StartAsync(settings);
        var address = hub.ApiUrl;
        Task<ProcessRunner.Result> Fleetl4(string? stdin, params string[] args) => CliRunner.Run(address, stdin, args);
        var samples = Path.Combine(CliRunner.RepoRoot(), "samples", "kuard");
        foreach (var (cluster, subnet) in new[] { ("aks-member-1", "10.224.1"), ("aks-member-2", "10.224.2") })
        {
            Assert.Equal(0, (await Fleetl4(null, "cluster", "join", cluster, "-l", "fleet.azure.com/location=eastus")).ExitCode);
            Assert.Equal(0, (await Fleetl4(null, "apply", "-f", Path.Combine(samples, "kuard-export-service.yaml"), "--cluster", cluster)).ExitCode);
            var slice = $$"""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: { name: kuard-{{cluster}}, namespace: kuard-demo, labels: { kubernetes.io/service-name: kuard } }
                addressType: IPv4
                ports: [ { port: 8080 } ]
                endpoints: [ { addresses: ["{{subnet}}.4"] }, { addresses: ["{{subnet}}.5"] } ]
                """;
            Assert.Equal(0, (await Fleetl4(slice, "apply", "-f", "-", "--cluster", cluster)).ExitCode);
        }
        Assert.Equal(0, (await Fleetl4(null, "apply", "-f", Path.Combine(samples, "kuard-mcs.yaml"), "--cluster", "aks-member-1")).ExitCode);

        // EXTERNAL-IP is the address Azure gave the MCS's public IP.
        var mcs = await Eventually.Get(async () => (await Fleetl4(null, "get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1", "-o", "json")).Stdout,
            json => JsonNode.Parse(json)?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"] is not null, "EXTERNAL-IP", TimeSpan.FromSeconds(60));
        var ip = JsonNode.Parse(mcs)!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!.GetValue<string>();
        var pip = arm.Resources.Single(r => r["type"]!.GetValue<string>().Equals("Microsoft.Network/publicIPAddresses", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(pip["properties"]!["ipAddress"]!.GetValue<string>(), ip);
        var table = (await Fleetl4(null, "get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1")).Stdout;
        Assert.Contains($" {ip} ", table, StringComparison.Ordinal);

        var describe = await Eventually.Get(async () => (await Fleetl4(null, "describe", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1")).Stdout,
            text => text.Contains("Last write: ", StringComparison.Ordinal) && text.Contains(": Succeeded", StringComparison.Ordinal), "describe with the last write");
        Assert.Contains($"  Azure load balancer: {arm.LoadBalancerId("fleetl4")}", describe, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"  Azure public IP: {pip["id"]!.GetValue<string>()} ({ip})", describe, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(arm.Violations);
    }
}
