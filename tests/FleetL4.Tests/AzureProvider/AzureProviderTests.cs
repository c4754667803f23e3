using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.FakeArm;
using FleetL4.LoadBalancing.Azure;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.AzureProvider;

/// <summary>The Azure provider through real HTTPS against the protocol-level fake ARM, driven by a two-silo hub.</summary>
public sealed class AzureProviderTests
{
    internal const string Ns = "kuard-demo";
    internal const string Mcs = "aks-member-1/kuard-demo/kuard";

    internal static async Task<(FakeArmServer Arm, AzureHub Hub)> Start(FakeArmOptions? options = null)
    {
        var arm = await FakeArmServer.StartAsync(options);
        return (arm, await AzureHub.StartAsync(arm));
    }

    /// <summary>The seed: kuard in two eastus clusters, two pods each (the MCS is applied by each test).</summary>
    internal static async Task ExportKuard(FleetL4.HubApi.FleetGrains fleet, ServicePort? port = null, string[]? member1 = null, string[]? member2 = null)
    {
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        var service = port is null ? null : Seed.Kuard(port);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready(member1 ?? ["10.224.1.4", "10.224.1.5"]), service));
        await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(Ns, Seed.T0.AddSeconds(1), Seed.Ready(member2 ?? ["10.224.2.4", "10.224.2.5"]), service));
    }

    /// <summary>The seed exports and the MCS on aks-member-1, once its load balancer holds it.</summary>
    internal static async Task<MultiClusterServiceView> SeedMcs(AzureHub hub)
    {
        await ExportKuard(hub.Fleet);
        await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
        return await InSync(hub);
    }

    /// <summary>The seed exports behind two MCSes: public on aks-member-1 (fleetl4), internal on aks-member-3 (fleetl4-internal).</summary>
    internal static async Task SeedPublicAndInternal(AzureHub hub)
    {
        await ExportKuard(hub.Fleet);
        await hub.Fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
        await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
        await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-3", Seed.Mcs(Ns, annotations: new() { [FleetAnnotations.InternalLoadBalancer] = "true" }));
        await InSync(hub);
        await InSync(hub, "aks-member-3");
    }

    internal static JsonArray Items(JsonObject? lb, string key) => lb?["properties"]?[key]?.AsArray() ?? [];

    internal static string[] PoolAddresses(JsonObject? lb, string pool) =>
        [.. Items(lb, "backendAddressPools").Where(p => p!["name"]!.GetValue<string>() == pool)
            .SelectMany(p => p!["properties"]?["loadBalancerBackendAddresses"]?.AsArray() ?? [])
            .Select(a => a!["properties"]!["ipAddress"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    internal static JsonObject[] PublicIps(FakeArmServer arm) =>
        [.. arm.Resources.Where(r => r["type"]!.GetValue<string>().Equals("Microsoft.Network/publicIPAddresses", StringComparison.OrdinalIgnoreCase))];

    internal static Task<MultiClusterServiceView> InSync(AzureHub hub, string cluster = "aks-member-1", string name = "kuard", string ns = Ns) =>
        Eventually.Get(() => hub.Fleet.GetMultiClusterServiceAsync(cluster, ns, name), m => m.LoadBalancerInSync && m.ExternalIp is not null,
            $"MCS {cluster}/{ns}/{name} in sync", TimeSpan.FromSeconds(30));

    [Fact]
    public async Task The_seed_gets_one_public_IP_one_frontend_a_pool_of_the_four_pod_IPs_a_probe_and_a_rule()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            await ExportKuard(hub.Fleet);
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            var mcs = await Eventually.Get(() => InSync(hub), m => m.Backends.Count == 4, "four backends");
            var name = AzureNames.ForMcs(Mcs);
            var pip = Assert.Single(PublicIps(arm));
            Assert.Equal(mcs.ExternalIp, pip["properties"]!["ipAddress"]!.GetValue<string>());
            Assert.Equal("Standard", pip["sku"]!["name"]!.GetValue<string>());
            Assert.Equal("Static", pip["properties"]!["publicIPAllocationMethod"]!.GetValue<string>());
            Assert.Equal(Mcs, pip["tags"]![AzureNames.McsTag]!.GetValue<string>());

            var lb = await Eventually.Get(() => Task.FromResult(hub.PublicLb), l => PoolAddresses(l, name).Length == 4, "pool of four");
            var frontend = Assert.Single(Items(lb, "frontendIPConfigurations"))!;
            Assert.Equal(pip["id"]!.GetValue<string>(), frontend["properties"]!["publicIPAddress"]!["id"]!.GetValue<string>(), ignoreCase: true);
            Assert.Equal(["10.224.1.4", "10.224.1.5", "10.224.2.4", "10.224.2.5"], PoolAddresses(lb, name));
            var probe = Assert.Single(Items(lb, "probes"))!["properties"]!;
            Assert.Equal(("Tcp", 8080), (probe["protocol"]!.GetValue<string>(), probe["port"]!.GetValue<int>()));
            var rule = Assert.Single(Items(lb, "loadBalancingRules"))!["properties"]!;
            Assert.Equal(("Tcp", 8080, 8080, "Default", true, true),
                (rule["protocol"]!.GetValue<string>(), rule["frontendPort"]!.GetValue<int>(), rule["backendPort"]!.GetValue<int>(),
                 rule["loadDistribution"]!.GetValue<string>(), rule["enableTcpReset"]!.GetValue<bool>(), rule["disableOutboundSnat"]!.GetValue<bool>()));
            var address = Items(lb, "backendAddressPools")[0]!["properties"]!["loadBalancerBackendAddresses"]![0]!["properties"]!;
            Assert.Equal(arm.VirtualNetworkId, address["virtualNetwork"]!["id"]!.GetValue<string>(), ignoreCase: true);

            // describe mcs shows the Azure side.
            var described = await hub.Fleet.DescribeMultiClusterServiceAsync("aks-member-1", Ns, "kuard");
            Assert.Contains(described.LoadBalancerDetails!, l => l.StartsWith("Azure load balancer: ", StringComparison.Ordinal) && l.EndsWith("/loadBalancers/fleetl4", StringComparison.Ordinal));
            Assert.Contains(described.LoadBalancerDetails!, l => l.StartsWith("Last write: ", StringComparison.Ordinal) && l.EndsWith(": Succeeded", StringComparison.Ordinal));
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task The_internal_annotation_moves_the_frontend_to_the_internal_LB_and_back_releasing_what_is_unused()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            var publicIp = (await SeedMcs(hub)).ExternalIp;

            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns, annotations: new() { [FleetAnnotations.InternalLoadBalancer] = "true" }));
            var internalView = await Eventually.Get(() => hub.Fleet.GetMultiClusterServiceAsync("aks-member-1", Ns, "kuard"),
                m => m.LoadBalancerInSync && m.ExternalIp is not null && m.ExternalIp.StartsWith("10.225.", StringComparison.Ordinal), "internal frontend");
            var frontend = Assert.Single(Items(hub.InternalLb, "frontendIPConfigurations"))!["properties"]!;
            Assert.Equal(arm.SubnetId("internal-lb"), frontend["subnet"]!["id"]!.GetValue<string>(), ignoreCase: true);
            Assert.Equal(internalView.ExternalIp, frontend["privateIPAddress"]!.GetValue<string>());
            await Eventually.True(() => Items(hub.PublicLb, "frontendIPConfigurations").Count == 0 || hub.PublicLb is null, "public frontend gone");
            await Eventually.True(() => PublicIps(arm).Length == 0, "public IP deleted");
            // Staying internal, an endpoint change reads no public IP: it was seen gone.
            var since = arm.Requests.Count;
            await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready("10.224.1.4", "10.224.1.7")));
            await Eventually.True(() => PoolAddresses(hub.InternalLb, AzureNames.ForMcs(Mcs)).Contains("10.224.1.7"), "internal pool has the new pod");
            Assert.DoesNotContain(arm.Requests.Skip(since), r => r.Path.Contains("/publicIPAddresses/", StringComparison.OrdinalIgnoreCase));

            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            var back = await Eventually.Get(() => hub.Fleet.GetMultiClusterServiceAsync("aks-member-1", Ns, "kuard"),
                m => m.LoadBalancerInSync && m.ExternalIp is not null && !m.ExternalIp.StartsWith("10.", StringComparison.Ordinal), "public again");
            Assert.Single(PublicIps(arm));
            await Eventually.True(() => Items(hub.InternalLb, "frontendIPConfigurations").Count == 0 || hub.InternalLb is null, "internal frontend gone");
            Assert.NotNull(publicIp);
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task A_UDP_port_gets_a_Udp_rule_and_a_port_change_replaces_the_rule_and_probe()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            await ExportKuard(hub.Fleet, new ServicePort("dns", "UDP", 53));
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            await InSync(hub);
            var udp = await Eventually.Get(() => Task.FromResult(hub.PublicLb), l => Items(l, "loadBalancingRules").Count == 1, "one rule");
            var rule = Items(udp, "loadBalancingRules")[0]!["properties"]!;
            Assert.Equal(("Udp", 53, false), (rule["protocol"]!.GetValue<string>(), rule["frontendPort"]!.GetValue<int>(), rule["enableTcpReset"]!.GetValue<bool>()));
            Assert.Empty(Items(udp, "probes")); // Azure LB cannot probe UDP

            await ExportKuard(hub.Fleet, new ServicePort("web", "TCP", 9090));
            var tcp = await Eventually.Get(() => Task.FromResult(hub.PublicLb),
                l => Items(l, "loadBalancingRules").Select(r => r!["properties"]!["frontendPort"]!.GetValue<int>()).SequenceEqual([9090]), "rule on 9090 only",
                TimeSpan.FromSeconds(30));
            Assert.Equal(9090, Assert.Single(Items(tcp, "probes"))!["properties"]!["port"]!.GetValue<int>());
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task Endpoint_churn_from_4_to_400_and_back_is_coalesced_into_few_pool_writes()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            await SeedMcs(hub);
            var name = AzureNames.ForMcs(Mcs);
            var poolId = arm.LoadBalancerId("fleetl4") + "/backendAddressPools/" + name;
            await Eventually.True(() => PoolAddresses(hub.PublicLb, name).Length == 4, "four");
            var writesBefore = arm.Writes.Values.Sum();

            // 200 reports, each adding two pods per cluster, as fast as the hub takes them.
            for (var i = 1; i <= 100; i++)
            {
                var one = Enumerable.Range(0, 2 * i).Select(k => $"10.224.{10 + k / 200}.{k % 200 + 1}").ToArray();
                var two = Enumerable.Range(0, 2 * i).Select(k => $"10.224.{20 + k / 200}.{k % 200 + 1}").ToArray();
                await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready(one)));
                await hub.Fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(Ns, Seed.T0.AddSeconds(1), Seed.Ready(two)));
            }
            await Eventually.True(() => PoolAddresses(hub.PublicLb, name).Length == 400, "400 in the pool", TimeSpan.FromSeconds(30));
            await ExportKuard(hub.Fleet);
            await Eventually.True(() => PoolAddresses(hub.PublicLb, name).Length == 4, "back to four", TimeSpan.FromSeconds(30));
            var writes = arm.Writes.Values.Sum() - writesBefore;
            // 202 changes; with a 100 ms window only a handful of writes (each one pool PUT).
            Assert.True(writes <= 40, $"{writes} writes for 202 endpoint changes");
            Assert.True(arm.WritesTo(poolId) >= 2, "endpoint-only changes PUT the pool sub-resource");
            Assert.Equal(["10.224.1.4", "10.224.1.5", "10.224.2.4", "10.224.2.5"], PoolAddresses(hub.PublicLb, name));
            Assert.Empty(arm.Violations);
        }
    }

    public static TheoryData<string> Faults => ["throttled", "subscription-throttled", "another-operation", "busy", "precondition", "server-error", "operation-failed", "superseded", "slow", "slow-answer"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Each_injected_fault_converges_without_overlap_or_early_retry(string fault)
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            await SeedMcs(hub);
            var name = AzureNames.ForMcs(Mcs);
            var injected = arm.Inject((fault switch
            {
                "throttled" => FakeArmFault.Throttled(TimeSpan.FromSeconds(1)),
                "subscription-throttled" => FakeArmFault.Throttled(TimeSpan.FromSeconds(1), ThrottleScope.Subscription),
                "another-operation" => FakeArmFault.AnotherOperationInProgress(),
                "busy" => FakeArmFault.RetryableErrorDueToAnotherOperation(TimeSpan.FromSeconds(1)),
                "precondition" => FakeArmFault.PreconditionFailed(),
                "server-error" => FakeArmFault.InternalServerError(),
                "operation-failed" => FakeArmFault.OperationFailed(),
                "superseded" => FakeArmFault.OperationFailed(ArmErrorCodes.CanceledAndSupersededDueToAnotherOperation,
                    "Operation was canceled because another operation on the same resource superseded it."),
                "slow-answer" => FakeArmFault.SlowAnswer(TimeSpan.FromSeconds(2)),
                _ => FakeArmFault.SlowOperation(TimeSpan.FromSeconds(2)),
            }) with { Method = "PUT", Path = "/loadBalancers/fleetl4", Times = 2 });

            await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready("10.224.1.4", "10.224.1.6")));
            if (fault is "throttled" or "subscription-throttled")
            {
                // While parked, describe mcs says until when.
                var parked = await Eventually.Get(() => hub.Fleet.DescribeMultiClusterServiceAsync("aks-member-1", Ns, "kuard"),
                    d => d.LoadBalancerDetails?.Any(l => l.StartsWith("Parked until: ", StringComparison.Ordinal)) == true, "the parked-until line");
                Assert.Contains(parked.LoadBalancerDetails!, l => l.EndsWith("(throttled by ARM)", StringComparison.Ordinal));
            }
            await Eventually.True(() => PoolAddresses(hub.PublicLb, name).Contains("10.224.1.6") && !PoolAddresses(hub.PublicLb, name).Contains("10.224.1.5"),
                $"pool converged after {fault}", TimeSpan.FromSeconds(30));
            Assert.True(injected.Hits >= 1, $"the {fault} fault never struck");
            await InSync(hub);
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task Deleting_the_MCS_removes_its_frontend_rules_probe_pool_and_public_IP_and_a_second_MCS_has_its_own()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            await ExportKuard(hub.Fleet);
            await hub.Fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-3", Seed.Mcs(Ns));
            var first = await InSync(hub);
            var second = await InSync(hub, "aks-member-3");
            Assert.NotEqual(first.ExternalIp, second.ExternalIp);
            await Eventually.True(() => Items(hub.PublicLb, "frontendIPConfigurations").Count == 2 && Items(hub.PublicLb, "loadBalancingRules").Count == 2, "two frontends on one LB");
            Assert.Equal(2, PublicIps(arm).Length);

            await hub.Fleet.DeleteMultiClusterServiceAsync("aks-member-1", Ns, "kuard");
            await Eventually.True(() => PublicIps(arm).Length == 1, "first public IP deleted", TimeSpan.FromSeconds(30));
            var lb = hub.PublicLb;
            var left = AzureNames.ForMcs("aks-member-3/kuard-demo/kuard");
            Assert.Equal([left], Items(lb, "frontendIPConfigurations").Select(f => f!["name"]!.GetValue<string>()));
            Assert.Equal([left], Items(lb, "backendAddressPools").Select(f => f!["name"]!.GetValue<string>()));
            Assert.All(Items(lb, "loadBalancingRules").Concat(Items(lb, "probes")), r => Assert.StartsWith(left, r!["name"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.Equal(second.ExternalIp, (await InSync(hub, "aks-member-3")).ExternalIp);

            // The last one goes: nothing of FleetL4 is left, not even an empty load balancer.
            await hub.Fleet.DeleteMultiClusterServiceAsync("aks-member-3", Ns, "kuard");
            await Eventually.True(() => PublicIps(arm).Length == 0 && hub.PublicLb is null, "all gone", TimeSpan.FromSeconds(30));
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task An_MCS_past_the_per_LB_frontend_limit_lands_on_a_second_load_balancer_and_all_are_served()
    {
        // The fake refuses a third frontend on one LB as ARM refuses the 601st.
        await using var arm = await FakeArmServer.StartAsync(new FakeArmOptions { MaxFrontendsPerLoadBalancer = 2, MaxRulesPerLoadBalancer = 4 });
        await using var hub = await AzureHub.StartAsync(arm, configure: s =>
        {
            s["FleetL4:Azure:MaxFrontendsPerLoadBalancer"] = "2";
            s["FleetL4:Azure:MaxRulesPerLoadBalancer"] = "4";
        });
        await ExportKuard(hub.Fleet);
        await hub.Fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
        var ips = new List<string?>();
        foreach (var cluster in new[] { "aks-member-1", "aks-member-2", "aks-member-3" })
        {
            await hub.Fleet.ApplyMultiClusterServiceAsync(cluster, Seed.Mcs(Ns));
            ips.Add((await InSync(hub, cluster)).ExternalIp);
        }
        Assert.Equal(3, ips.Distinct().Count());
        string Name(string cluster) => AzureNames.ForMcs($"{cluster}/{Ns}/kuard");
        var second = arm.Get(arm.LoadBalancerId(AzureNames.LoadBalancer("fleetl4", false, 2)));
        Assert.Equal("fleetl4-2", second?["name"]?.GetValue<string>());
        Assert.Equal([Name("aks-member-3")], Items(second, "frontendIPConfigurations").Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal(new[] { Name("aks-member-1"), Name("aks-member-2") }.Order(StringComparer.Ordinal),
            Items(hub.PublicLb, "frontendIPConfigurations").Select(f => f!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(4, PoolAddresses(second, Name("aks-member-3")).Length);
        var described = await hub.Fleet.DescribeMultiClusterServiceAsync("aks-member-3", Ns, "kuard");
        Assert.Contains(described.LoadBalancerDetails!, l => l.EndsWith("/loadBalancers/fleetl4-2", StringComparison.Ordinal));
        Assert.Empty(arm.Violations);
    }

    [Fact]
    public async Task A_restarted_hub_adopts_what_exists_and_creates_nothing_twice()
    {
        await using var arm = await FakeArmServer.StartAsync();
        string? ip;
        await using (var hub = await AzureHub.StartAsync(arm))
        {
            ip = (await SeedMcs(hub)).ExternalIp;
        }
        var pipsBefore = PublicIps(arm).Select(p => p["id"]!.GetValue<string>()).ToArray();
        // A whole new hub with nothing in storage (memory state lost), the members re-report.
        await using (var hub = await AzureHub.StartAsync(arm))
        {
            await ExportKuard(hub.Fleet);
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            Assert.Equal(ip, (await InSync(hub)).ExternalIp);
            Assert.Equal(pipsBefore, PublicIps(arm).Select(p => p["id"]!.GetValue<string>()));
            Assert.Single(Items(hub.PublicLb, "frontendIPConfigurations"));
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task A_pool_changed_behind_our_back_is_found_and_repaired()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            await SeedMcs(hub);
            var name = AzureNames.ForMcs(Mcs);
            await Eventually.True(() => PoolAddresses(hub.PublicLb, name).Length == 4, "four");
            arm.MutatePool("fleetl4", name, []);
            Assert.Empty(PoolAddresses(hub.PublicLb, name));
            // No change reaches the hub: the resync (1 s here) finds the drift.
            await Eventually.True(() => PoolAddresses(hub.PublicLb, name).Length == 4, "repaired", TimeSpan.FromSeconds(30));
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task Two_MCSes_churning_on_one_load_balancer_never_overlap_writes()
    {
        var (arm, hub) = await Start(new FakeArmOptions { MinOperationDuration = TimeSpan.FromMilliseconds(50), MaxOperationDuration = TimeSpan.FromMilliseconds(150) });
        await using (arm)
        await using (hub)
        {
            await ExportKuard(hub.Fleet);
            await hub.Fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
            await hub.Fleet.ReportServiceExportAsync("aks-member-3", Seed.Export("other", Seed.T0, Seed.Ready("10.224.3.4")));
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-3", new MultiClusterServiceSpec("other", "kuard", "kuard"));
            for (var i = 0; i < 30; i++)
            {
                await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready($"10.224.1.{i + 10}")));
                await hub.Fleet.ReportServiceExportAsync("aks-member-3", Seed.Export("other", Seed.T0, Seed.Ready($"10.224.3.{i + 10}")));
            }
            var a = AzureNames.ForMcs(Mcs);
            var b = AzureNames.ForMcs("aks-member-3/other/kuard");
            await Eventually.True(() => PoolAddresses(hub.PublicLb, a).Contains("10.224.1.39") && PoolAddresses(hub.PublicLb, b).SequenceEqual(["10.224.3.39"]),
                "both pools converged", TimeSpan.FromSeconds(30));
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task After_a_restart_parts_no_MCS_claims_are_removed_once_the_grace_period_is_over_with_their_public_IP()
    {
        await using var arm = await FakeArmServer.StartAsync();
        await using (var hub = await AzureHub.StartAsync(arm))
        {
            await ExportKuard(hub.Fleet);
            await hub.Fleet.JoinClusterAsync("aks-member-3", Seed.WestUs);
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-3", Seed.Mcs(Ns));
            await InSync(hub);
            await InSync(hub, "aks-member-3");
        }
        Assert.Equal(2, PublicIps(arm).Length);
        // A fresh hub (memory state lost) where only aks-member-1's MCS comes back: aks-member-3's parts are orphans.
        await using (var hub = await AzureHub.StartAsync(arm, configure: s => s["FleetL4:Azure:OrphanGracePeriod"] = "00:00:02"))
        {
            await SeedMcs(hub);
            // Within the grace period the orphan keeps serving (its MCS may just not have re-applied yet).
            Assert.Equal(2, Items(hub.PublicLb, "frontendIPConfigurations").Count);
            var kept = AzureNames.ForMcs(Mcs);
            await Eventually.True(() => Items(hub.PublicLb, "frontendIPConfigurations").Select(f => f!["name"]!.GetValue<string>()).SequenceEqual([kept])
                && PublicIps(arm).Length == 1, "orphan frontend and public IP removed", TimeSpan.FromSeconds(30));
            Assert.All(Items(hub.PublicLb, "loadBalancingRules").Concat(Items(hub.PublicLb, "probes")).Concat(Items(hub.PublicLb, "backendAddressPools")),
                r => Assert.StartsWith(kept, r!["name"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.Empty(arm.Violations);
        }
    }
}
