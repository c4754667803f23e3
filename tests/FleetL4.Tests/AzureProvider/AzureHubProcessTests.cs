using System.Text.Json.Nodes;
using FleetL4.FakeArm;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.AzureProvider;

/// <summary>The hub as a process with FleetL4:Provider=Azure (settings on its command line) and the CLI as processes.</summary>
public sealed class AzureHubProcessTests
{
    /// <summary>AzureHub's settings, with the resync reminder at Orleans' minimum period (the in-process hub lowers it).</summary>
    private static string[] Arguments(FakeArmServer arm, params string[] overrides) =>
        [.. AzureHub.Settings(arm).Select(kv => $"--{kv.Key}={kv.Value}"), "--FleetL4:Azure:ResyncPeriod=00:01:00", .. overrides];

    private static Task<ProcessRunner.Result> Fleetl4(HubProcess hub, string? stdin, params string[] args) => CliRunner.Run(hub.ApiUrl, stdin, args);

    /// <summary>The seed on two eastus members (two kuard pods each) and the MCS on aks-member-1, through the CLI.</summary>
    private static async Task Seed(HubProcess hub)
    {
        var samples = Path.Combine(CliRunner.RepoRoot(), "samples", "kuard");
        foreach (var (cluster, subnet) in new[] { ("aks-member-1", "10.224.1"), ("aks-member-2", "10.224.2") })
        {
            Assert.Equal(0, (await Fleetl4(hub, null, "cluster", "join", cluster, "-l", "fleet.azure.com/location=eastus")).ExitCode);
            Assert.Equal(0, (await Fleetl4(hub, null, "apply", "-f", Path.Combine(samples, "kuard-export-service.yaml"), "--cluster", cluster)).ExitCode);
            var slice = $$"""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: { name: kuard-{{cluster}}, namespace: kuard-demo, labels: { kubernetes.io/service-name: kuard } }
                addressType: IPv4
                ports: [ { port: 8080 } ]
                endpoints: [ { addresses: ["{{subnet}}.4"] }, { addresses: ["{{subnet}}.5"] } ]
                """;
            Assert.Equal(0, (await Fleetl4(hub, slice, "apply", "-f", "-", "--cluster", cluster)).ExitCode);
        }
        Assert.Equal(0, (await Fleetl4(hub, null, "apply", "-f", Path.Combine(samples, "kuard-mcs.yaml"), "--cluster", "aks-member-1")).ExitCode);
    }

    /// <summary>The MCS's EXTERNAL-IP once it has one.</summary>
    private static async Task<string> ExternalIp(HubProcess hub)
    {
        var mcs = await Eventually.Get(async () => (await Fleetl4(hub, null, "get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1", "-o", "json")).Stdout,
            json => JsonNode.Parse(json)?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"] is not null, "EXTERNAL-IP", TimeSpan.FromSeconds(60));
        return JsonNode.Parse(mcs)!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!.GetValue<string>();
    }

    private static Task<string> Describe(HubProcess hub, Func<string, bool> done, string what) =>
        Eventually.Get(async () => (await Fleetl4(hub, null, "describe", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1")).Stdout,
            done, what, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task The_seed_walkthrough_shows_the_Azure_public_IP_as_EXTERNAL_IP_and_describe_shows_the_Azure_side()
    {
        await using var arm = await FakeArmServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(Arguments(arm));
        await Seed(hub);

        // EXTERNAL-IP is the address Azure gave the MCS's public IP.
        var ip = await ExternalIp(hub);
        var pip = arm.Resources.Single(r => r["type"]!.GetValue<string>().Equals("Microsoft.Network/publicIPAddresses", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(pip["properties"]!["ipAddress"]!.GetValue<string>(), ip);
        var table = (await Fleetl4(hub, null, "get", "mcs", "kuard", "-n", "kuard-demo", "--cluster", "aks-member-1")).Stdout;
        Assert.Contains($" {ip} ", table, StringComparison.Ordinal);

        var describe = await Describe(hub, text => text.Contains("Last write: ", StringComparison.Ordinal) && text.Contains(": Succeeded", StringComparison.Ordinal), "describe with the last write");
        Assert.Contains($"  Azure load balancer: {arm.LoadBalancerId("fleetl4")}", describe, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"  Azure public IP: {pip["id"]!.GetValue<string>()} ({ip})", describe, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(arm.Violations);
    }

    [Fact]
    public async Task SIGTERM_stops_the_hub_within_seconds_while_an_MCS_waits_for_its_parked_load_balancer()
    {
        await using var arm = await FakeArmServer.StartAsync();
        await using var hub = await HubProcess.StartAsync(Arguments(arm));
        await Seed(hub);
        await ExternalIp(hub);
        // ARM parks the LB for two minutes: the MCS's next change waits for it (up to the provider's 30 s timeout).
        arm.Inject(FakeArmFault.Throttled(TimeSpan.FromMinutes(2)) with { Method = "PUT", Path = "/loadBalancers/fleetl4/", Times = 1 });
        var slice = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: { name: kuard-aks-member-1, namespace: kuard-demo, labels: { kubernetes.io/service-name: kuard } }
            addressType: IPv4
            ports: [ { port: 8080 } ]
            endpoints: [ { addresses: ["10.224.1.4"] }, { addresses: ["10.224.1.9"] } ]
            """;
        Assert.Equal(0, (await Fleetl4(hub, slice, "apply", "-f", "-", "--cluster", "aks-member-1")).ExitCode);
        await Describe(hub, text => text.Contains("Parked until: ", StringComparison.Ordinal), "describe saying the LB is parked");

        // Waiting out the provider's 30 s converge timeout would miss this bound.
        Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(15)));
        Assert.Empty(arm.Violations);
    }

    [Fact]
    public async Task The_static_token_is_never_logged_at_Debug_nor_when_ARM_refuses_a_wrong_one()
    {
        var token = $"fl4-static-token-{Guid.NewGuid():N}";
        await using var arm = await FakeArmServer.StartAsync(new FakeArmOptions { Token = token });
        string output;
        await using (var hub = await HubProcess.StartAsync(Arguments(arm, "--Logging:LogLevel:Default=Debug")))
        {
            await Seed(hub);
            await ExternalIp(hub);
            output = hub.Output;
        }
        Assert.Contains("dbug: ", output, StringComparison.Ordinal); // Debug logging was on
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);

        // A wrong token: ARM answers 401, the hub logs the failure and retries, and the token it sent is in no line.
        var wrong = $"fl4-wrong-token-{Guid.NewGuid():N}";
        await using (var hub = await HubProcess.StartAsync(Arguments(arm, "--Logging:LogLevel:Default=Debug", $"--FleetL4:Azure:StaticToken={wrong}")))
        {
            await Seed(hub);
            await Describe(hub, text => text.Contains("InvalidAuthenticationToken", StringComparison.Ordinal), "describe with ARM's 401");
            await Eventually.True(() => hub.Output.Contains("401 InvalidAuthenticationToken", StringComparison.Ordinal), "the 401 logged");
            output = hub.Output;
        }
        Assert.Contains(arm.Requests, r => r.Status == System.Net.HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(wrong, output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ARM_certificate_from_a_CA_not_trusted_is_refused_and_describe_names_the_CA_key()
    {
        await using var arm = await FakeArmServer.StartAsync();
        await using var other = await FakeArmServer.StartAsync(); // only its CA is used: it did not sign arm's certificate
        await using var hub = await HubProcess.StartAsync(Arguments(arm, $"--FleetL4:Azure:CaCertificateFile={other.CaCertificatePemPath}"));
        await Seed(hub);
        var describe = await Describe(hub, text => text.Contains("not in sync: TLS with ARM", StringComparison.Ordinal), "describe with the TLS failure");
        Assert.Contains($"TLS with ARM at {arm.Endpoint} failed (", describe, StringComparison.Ordinal);
        Assert.Contains("its certificate must chain to a CA the system trusts or to FleetL4:Azure:CaCertificateFile", describe, StringComparison.Ordinal);
        Assert.Contains("<pending>", describe, StringComparison.Ordinal); // no EXTERNAL-IP
        Assert.Empty(arm.Requests); // refused in the handshake: no request reached it, so no token either
    }

    [Fact]
    public async Task CaCertificateFile_adds_a_CA_and_the_system_s_roots_are_still_trusted()
    {
        // The system's roots are SSL_CERT_FILE's (OpenSSL's, which .NET reads on Linux): arm's CA. FleetL4:Azure:CaCertificateFile
        // names another CA; the hub still reaches arm, so the extra CA did not replace the system's.
        await using var arm = await FakeArmServer.StartAsync();
        await using var other = await FakeArmServer.StartAsync();
        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = arm.CaCertificatePemPath, ["SSL_CERT_DIR"] = "/nonexistent" };
        await using var hub = await HubProcess.StartWithEnvironmentAsync(environment, Arguments(arm, $"--FleetL4:Azure:CaCertificateFile={other.CaCertificatePemPath}"));
        await Seed(hub);
        var ip = await ExternalIp(hub);
        Assert.Contains(arm.Resources, r => r["properties"]?["ipAddress"]?.GetValue<string>() == ip);
    }
}
