using System.Net;
using FleetL4.FakeArm;
using FleetL4.LoadBalancing.Azure;
using FleetL4.LoadBalancing.Azure.Balancers;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using static FleetL4.Tests.AzureProvider.AzureProviderTests;

namespace FleetL4.Tests.AzureProvider;

/// <summary>How the Azure provider spends ARM's budget: parks on throttles everywhere, backs off repeated 412s, and
/// keeps every silo's writes under one shared bound.</summary>
public sealed class AzureWriteDisciplineTests
{
    // Timers may fire a little early (the fake allows the same).
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_429_on_the_public_IP_parks_the_subscription_and_the_MCS_converges_with_no_call_before_Retry_After()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            var retryAfter = TimeSpan.FromSeconds(2);
            var injected = arm.Inject(FakeArmFault.Throttled(retryAfter, ThrottleScope.Subscription) with { Method = "PUT", Path = "/publicIPAddresses/", Times = 1 });
            await ExportKuard(hub.Fleet);
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(Ns));
            var mcs = await InSync(hub);

            Assert.Equal(1, injected.Hits);
            Assert.NotNull(mcs.ExternalIp);
            Assert.Single(PublicIps(arm));
            var throttled = Assert.Single(arm.Requests, r => r.Status == HttpStatusCode.TooManyRequests);
            // The MCS grain retried meanwhile, but nothing reached ARM (not even a read) until Retry-After had passed.
            Assert.DoesNotContain(arm.Requests, r => r.Time > throttled.Time && r.Time < throttled.Time + retryAfter - Grace);
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task A_subscription_throttle_on_one_load_balancer_holds_every_load_balancer_until_Retry_After()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            // A public MCS (fleetl4) for the seed's kuard, and an internal one (fleetl4-internal) for another import,
            // so a change of one touches one LB only.
            const string internalNs = "kuard-internal";
            await SeedMcs(hub);
            await hub.Fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(internalNs, Seed.T0, Seed.Ready("10.224.2.8")));
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(internalNs, annotations: new() { [FleetAnnotations.InternalLoadBalancer] = "true" }));
            await InSync(hub, ns: internalNs);
            var name = AzureNames.ForMcs(Mcs);
            var internalName = AzureNames.ForMcs($"aks-member-1/{internalNs}/kuard");

            var retryAfter = TimeSpan.FromSeconds(5);
            arm.Inject(FakeArmFault.Throttled(retryAfter, ThrottleScope.Subscription) with { Method = "PUT", Path = "/loadBalancers/fleetl4/", Times = 1 });
            await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready("10.224.1.4", "10.224.1.6")));
            var throttled = await Eventually.Get(() => Task.FromResult(arm.Requests.FirstOrDefault(r => r.Status == HttpStatusCode.TooManyRequests)),
                r => r is not null, "the 429 on the public LB");
            // The internal MCS, whose LB was never throttled, says it is parked too: the hub knows of the park.
            await Eventually.Get(() => hub.Fleet.DescribeMultiClusterServiceAsync("aks-member-1", internalNs, "kuard"),
                d => d.LoadBalancerDetails?.Any(l => l.StartsWith("Parked until: ", StringComparison.Ordinal)) == true, "the internal MCS's parked-until line");
            // A change the internal LB alone would write at once.
            await hub.Fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(internalNs, Seed.T0, Seed.Ready("10.224.2.8", "10.224.2.9")));

            await Eventually.True(() => PoolAddresses(hub.PublicLb, name).Contains("10.224.1.6") && PoolAddresses(hub.InternalLb, internalName).Contains("10.224.2.9"),
                "both pools converged", TimeSpan.FromSeconds(30));
            var early = arm.Requests.Where(r => r.Path.Contains("/loadBalancers/fleetl4-internal", StringComparison.OrdinalIgnoreCase)
                && r.Time > throttled!.Time && r.Time < throttled.Time + retryAfter - Grace).ToArray();
            Assert.True(early.Length == 0, $"calls on the internal LB while the subscription was parked: {string.Join("; ", early.AsEnumerable())}");
            Assert.Contains(arm.Requests, r => r.Path.Contains("/loadBalancers/fleetl4-internal", StringComparison.OrdinalIgnoreCase) && r.IsWrite
                && r.Time >= throttled!.Time + retryAfter - Grace);
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task Repeated_412s_are_read_again_at_once_the_first_time_then_with_a_doubling_delay()
    {
        var (arm, hub) = await Start();
        await using (arm)
        await using (hub)
        {
            await SeedMcs(hub);
            var name = AzureNames.ForMcs(Mcs);
            arm.Inject(FakeArmFault.PreconditionFailed() with { Method = "PUT", Path = "/loadBalancers/fleetl4", Times = 4 });
            await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(Ns, Seed.T0, Seed.Ready("10.224.1.4", "10.224.1.6")));
            // Resyncs (what the resync reminder asks for) every 10 ms meanwhile: they must not cut the backoff short.
            var lb = hub.Cluster.Client.GetGrain<IAzureLoadBalancerGrain>("fleetl4");
            while (!PoolAddresses(hub.PublicLb, name).Contains("10.224.1.6"))
            {
                await lb.Sweep(DateTimeOffset.MaxValue);
                await Task.Delay(10); // pacing of the resyncs, not synchronisation
            }

            var puts = arm.Requests.Where(r => r.Method == "PUT" && r.Path.Contains("/loadBalancers/fleetl4", StringComparison.OrdinalIgnoreCase)).ToArray();
            var failed = Array.FindIndex(puts, r => r.Status == HttpStatusCode.PreconditionFailed);
            var run = puts[failed..(failed + 5)]; // four 412s, then the write that went through
            Assert.All(run[..4], r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.Status));
            Assert.True(run[4].Status is HttpStatusCode.OK or HttpStatusCode.Created, run[4].ToString());
            // RetryMin is 50 ms here: after the immediate re-read, 50, 100, 200 ms.
            var gaps = run.Zip(run.Skip(1), (a, b) => b.Time - a.Time).ToArray();
            Assert.True(gaps[1] >= TimeSpan.FromMilliseconds(50) - Grace && gaps[2] >= TimeSpan.FromMilliseconds(100) - Grace
                && gaps[3] >= TimeSpan.FromMilliseconds(200) - Grace, $"gaps between the PUTs: {string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:0} ms"))}");
            Assert.Empty(arm.Violations);
        }
    }

    [Fact]
    public async Task A_small_shared_budget_under_churn_on_two_silos_holds_its_bound_answers_no_429_and_converges()
    {
        const int budget = 100; // burst 10, then 0.3 writes/s
        var pins = new SiloPins();
        await using var arm = await FakeArmServer.StartAsync(new FakeArmOptions { WritesPer5Minutes = budget });
        await using var hub = await AzureHub.StartAsync(arm, configure: s => s["FleetL4:Azure:WriteBudget"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            configureSilo: silo =>
            {
                pins.Configure(silo);
                // A starved budget makes an MCS wait long for its LB (up to the provider's ConvergeTimeout).
                silo.Configure<Orleans.Configuration.SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(40));
            });
        string[] namespaces = ["churn-a", "churn-b", "churn-c", "churn-d"];
        await hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await hub.Fleet.JoinClusterAsync("aks-member-2", Seed.EastUs);
        for (var i = 0; i < namespaces.Length; i++)
        {
            // Half the MCS grains (which write the public IPs) on each silo; the LB grains and the budget wherever.
            pins.Pin(hub.Cluster.Client.GetGrain<IMultiClusterServiceGrain>(GrainKeys.MultiClusterService("aks-member-1", namespaces[i], "kuard")), hub.Cluster.Silos[i % 2]);
            await hub.Fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(namespaces[i], Seed.T0, Seed.Ready($"10.224.{30 + i}.1")));
            await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(namespaces[i], annotations: i == 3 ? new() { [FleetAnnotations.InternalLoadBalancer] = "true" } : null));
        }

        var started = DateTimeOffset.UtcNow;
        var changes = 0;
        string[] Pods(int mcs, int r) => [$"10.224.{40 + mcs}.{r % 200 + 1}", $"10.224.{40 + mcs}.{(r + 100) % 200 + 1}"];
        var round = 0;
        for (; DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(15); round++)
        {
            for (var i = 0; i < namespaces.Length; i++, changes++)
                await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(namespaces[i], Seed.T0, Seed.Ready(Pods(i, round))));
            await Task.Delay(100); // pacing of the churn, not synchronisation
        }
        var last = round - 1;
        for (var i = 0; i < namespaces.Length; i++)
        {
            var lb = i == 3 ? "fleetl4-internal" : "fleetl4";
            var pool = AzureNames.ForMcs($"aks-member-1/{namespaces[i]}/kuard");
            string[] expected = [.. Pods(i, last).Append($"10.224.{30 + i}.1").Order(StringComparer.Ordinal)];
            await Eventually.True(() => PoolAddresses(arm.Get(arm.LoadBalancerId(lb)), pool).SequenceEqual(expected), $"pool of {namespaces[i]} at its final endpoints",
                TimeSpan.FromSeconds(60));
        }
        foreach (var ns in namespaces)
            await Eventually.Get(() => hub.Fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"), m => m.LoadBalancerInSync && m.ExternalIp is not null,
                $"{ns} in sync", TimeSpan.FromSeconds(60));

        var hosts = new HashSet<SiloAddress?>();
        foreach (var ns in namespaces)
            hosts.Add(await hub.Cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(hub.Cluster.Client.GetGrain<IMultiClusterServiceGrain>(GrainKeys.MultiClusterService("aks-member-1", ns, "kuard"))));
        Assert.Equal(2, hosts.Count);

        var requests = arm.Requests;
        Assert.DoesNotContain(requests, r => r.Status == HttpStatusCode.TooManyRequests);
        var writes = requests.Where(r => r.IsWrite).ToArray();
        var elapsed = (writes[^1].Time - writes[0].Time).TotalSeconds;
        var bound = budget / 10 + (budget - budget / 10) / 300.0 * elapsed;
        Assert.True(writes.Length <= bound + 1, $"{writes.Length} writes in {elapsed:0.0} s; the budget allows {bound:0.0}");
        Assert.True(writes.Length < changes, $"{writes.Length} writes for {changes} endpoint changes: the window did not widen");
        Assert.Empty(arm.Violations);
    }
}
