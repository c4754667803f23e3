using System.Text.Json.Nodes;
using FleetL4.LoadBalancing.Azure;
using FleetL4.LoadBalancing.Azure.Model;

namespace FleetL4.Tests.AzureProvider;

public sealed class DesiredLoadBalancerTests
{
    private static readonly AzureOptions Options = new()
    {
        SubscriptionId = "00000000-0000-0000-0000-000000000001", ResourceGroup = "fleet", Location = "eastus",
        VirtualNetworkId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/pods",
    };

    private static readonly LoadBalancerSettings Settings = new(null, 5, 2, 4);

    private static AzureFrontendSpec Kuard(string mcs = "aks-member-1/kuard-demo/kuard", string affinity = "None", params string[] backends) =>
        new(mcs, AzureNames.ForMcs(mcs), "/subscriptions/x/resourceGroups/fleet/providers/Microsoft.Network/publicIPAddresses/" + AzureNames.ForMcs(mcs), null,
            [new AzurePort(8080, "TCP", 8080)], backends.Length == 0 ? ["10.1.0.4", "10.1.0.5", "10.2.0.4", "10.2.0.5"] : backends, affinity);

    [Fact]
    public void The_seed_MCS_is_one_frontend_one_pool_of_its_pod_IPs_one_probe_and_one_rule()
    {
        var spec = Kuard();
        var lb = DesiredLoadBalancer.Compute(new LoadBalancerModel(), [spec], Settings, removeOrphans: true);
        var frontend = Assert.Single(lb.Frontends.Values);
        Assert.Equal(spec.PublicIpId, frontend.PublicIpId);
        Assert.Equal(["10.1.0.4", "10.1.0.5", "10.2.0.4", "10.2.0.5"], Assert.Single(lb.Pools.Values));
        Assert.Equal(new ProbeModel($"{spec.Name}-probe-8080", "Tcp", 8080, 5, 2), Assert.Single(lb.Probes.Values));
        Assert.Equal(new RuleModel($"{spec.Name}-tcp-8080", "Tcp", 8080, 8080, spec.Name, spec.Name, $"{spec.Name}-probe-8080",
            "Default", EnableTcpReset: true, DisableOutboundSnat: true, 4), Assert.Single(lb.Rules.Values));
    }

    [Fact]
    public void ClientIP_affinity_is_SourceIP_and_a_UDP_port_gets_a_rule_without_probe_or_tcp_reset()
    {
        var spec = Kuard(affinity: "ClientIP") with { Ports = [new AzurePort(53, "UDP", 5353), new AzurePort(80, "TCP", 8080), new AzurePort(9, "SCTP", 9)] };
        var lb = DesiredLoadBalancer.Compute(new LoadBalancerModel(), [spec], Settings, removeOrphans: true);
        Assert.Equal(2, lb.Rules.Count); // SCTP cannot be served by Azure LB
        var udp = lb.Rules[$"{spec.Name}-udp-53"];
        Assert.Equal(("Udp", 53, 5353, (string?)null, false, "SourceIP"), (udp.Protocol, udp.FrontendPort, udp.BackendPort, udp.Probe, udp.EnableTcpReset, udp.LoadDistribution));
        Assert.Equal(["8080"], lb.Probes.Values.Select(p => p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Parts_others_own_are_kept_and_orphans_only_go_after_the_grace_period()
    {
        var current = new LoadBalancerModel();
        current.Frontends["someone-else"] = new FrontendModel("someone-else", "/pip/x", null, null);
        current.Frontends["fl4-gone-0123456789"] = new FrontendModel("fl4-gone-0123456789", "/pip/y", null, null);
        current.Rules["fl4-gone-0123456789-tcp-80"] = new RuleModel("fl4-gone-0123456789-tcp-80", "Tcp", 80, 80, "fl4-gone-0123456789", "fl4-gone-0123456789", null, "Default", true, true, 4);
        current.Pools["fl4-gone-0123456789"] = new SortedSet<string>(["10.9.0.1"]);
        var spec = Kuard();

        var during = DesiredLoadBalancer.Compute(current, [spec], Settings, removeOrphans: false);
        Assert.Contains("someone-else", during.Frontends.Keys);
        Assert.Contains("fl4-gone-0123456789", during.Frontends.Keys);
        Assert.Contains("fl4-gone-0123456789-tcp-80", during.Rules.Keys);

        var after = DesiredLoadBalancer.Compute(current, [spec], Settings, removeOrphans: true);
        Assert.Equal(new[] { "someone-else", spec.Name }.Order(StringComparer.Ordinal), after.Frontends.Keys);
        Assert.DoesNotContain("fl4-gone-0123456789", after.Pools.Keys);
        Assert.DoesNotContain("fl4-gone-0123456789-tcp-80", after.Rules.Keys);
    }

    [Fact]
    public void A_port_an_MCS_dropped_is_removed_at_once_not_kept_as_an_orphan()
    {
        var spec = Kuard() with { Ports = [new AzurePort(8080, "TCP", 8080), new AzurePort(9090, "TCP", 9090)] };
        var two = DesiredLoadBalancer.Compute(new LoadBalancerModel(), [spec], Settings, removeOrphans: false);
        var one = DesiredLoadBalancer.Compute(two, [spec with { Ports = [new AzurePort(8080, "TCP", 8080)] }], Settings, removeOrphans: false);
        Assert.Single(one.Rules);
        Assert.Single(one.Probes);
    }

    [Fact]
    public void Only_the_pool_differs_after_an_endpoint_change()
    {
        var before = DesiredLoadBalancer.Compute(new LoadBalancerModel(), [Kuard(), Kuard("aks-member-3/kuard-demo/kuard")], Settings, true);
        var after = DesiredLoadBalancer.Compute(before, [Kuard(backends: ["10.1.0.4"]), Kuard("aks-member-3/kuard-demo/kuard")], Settings, true);
        Assert.True(after.SameStructure(before));
        Assert.Equal([AzureNames.ForMcs("aks-member-1/kuard-demo/kuard")], after.PoolsDifferingFrom(before));
        Assert.False(after.SameAs(before));
    }

    [Fact]
    public void The_rendered_body_reads_back_as_the_same_model()
    {
        var internalSpec = new AzureFrontendSpec("c/ns/internal", AzureNames.ForMcs("c/ns/internal"), null, "10.240.0.7",
            [new AzurePort(443, "TCP", 8443)], ["10.1.0.9"], "None");
        var settings = Settings with { InternalSubnetId = Options.VirtualNetworkId + "/subnets/lb" };
        var model = DesiredLoadBalancer.Compute(new LoadBalancerModel(), [Kuard(), internalSpec], settings, true);
        var body = ArmLoadBalancerJson.Render(model, Options, "fleetl4");
        Assert.True(ArmLoadBalancerJson.Parse(JsonNode.Parse(body.ToJsonString())!.AsObject()).SameAs(model));
        var address = body["properties"]!["backendAddressPools"]![0]!["properties"]!["loadBalancerBackendAddresses"]![0]!;
        Assert.Equal(Options.VirtualNetworkId, address["properties"]!["virtualNetwork"]!["id"]!.GetValue<string>());
        Assert.Equal("Standard", body["sku"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("aks-member-1/kuard-demo/kuard")]
    [InlineData("a-very-long-member-cluster-name-of-sixty-three-characters-xxxxx/a-namespace-of-sixty-three-characters-also-very-long-yyyyyyyyyy/name")]
    public void Names_are_stable_valid_and_short(string mcs)
    {
        var name = AzureNames.ForMcs(mcs);
        Assert.Equal(name, AzureNames.ForMcs(mcs));
        Assert.StartsWith(AzureNames.Prefix, name, StringComparison.Ordinal);
        Assert.True(name.Length <= 64, name);
        Assert.Matches("^[a-z0-9-]+$", name);
        Assert.True(AzureNames.Rule(name, "Tcp", 65535).Length <= 80);
        Assert.NotEqual(name, AzureNames.ForMcs(mcs + "x"));
    }
}
