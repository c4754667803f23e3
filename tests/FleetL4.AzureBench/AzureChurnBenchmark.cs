using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FleetL4.HubApi;
using FleetL4.FakeArm;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Azure;
using FleetL4.LoadBalancing.Azure.Model;
using FleetL4.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetL4.AzureBench;

/// <summary>
/// One in-process silo with FleetL4:Provider=Azure against the fake ARM (NRP-like operation times, the 5-minute
/// write budget): <c>mcs</c> MCSes on one shared LB, then <c>rate</c> endpoint changes/s for <c>seconds</c>.
/// Each change replaces one endpoint of one export with a new address; an observer reads the LB every 200 ms and
/// times each new address from its report to the pool holding it. With <c>peer</c>, the hub only sets up the LB and the
/// same churn goes to <see cref="CloudProviderAzureModel"/> instead, against a fake ARM of its own.
/// </summary>
public static class AzureChurnBenchmark
{
    /// <summary>The peer's batch period: cloud-provider-azure's loadBalancerBackendPoolUpdateIntervalInSeconds default.</summary>
    public static readonly TimeSpan PeerBatch = TimeSpan.FromSeconds(30);

    public static async Task<AzureChurnResult> RunAsync(int mcsCount, int endpointsPerExport, int rate, int seconds, int budget, bool peer, CancellationToken ct)
    {
        await using var arm = await FakeArmServer.StartAsync(new FakeArmOptions
        {
            WritesPer5Minutes = budget,
            // NRP takes seconds per write; the fake a little: enough to make writes queue if they were not coalesced.
            MinOperationDuration = TimeSpan.FromMilliseconds(200),
            MaxOperationDuration = TimeSpan.FromMilliseconds(800),
        });
        var settings = new Dictionary<string, string?>
        {
            ["FleetL4:Provider"] = "Azure",
            ["FleetL4:Azure:SubscriptionId"] = arm.SubscriptionId,
            ["FleetL4:Azure:ResourceGroup"] = arm.ResourceGroup,
            ["FleetL4:Azure:Location"] = arm.Location,
            ["FleetL4:Azure:VirtualNetworkId"] = arm.VirtualNetworkId,
            ["FleetL4:Azure:Endpoint"] = arm.Endpoint.ToString(),
            ["FleetL4:Azure:Credential"] = "StaticToken",
            ["FleetL4:Azure:StaticToken"] = arm.Token,
            ["FleetL4:Azure:CaCertificateFile"] = arm.CaCertificatePemPath,
            ["FleetL4:Azure:WriteBudget"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FleetL4:Azure:PollInterval"] = "00:00:00.100",
            ["FleetL4:HeartbeatInterval"] = "01:00:00",
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        // The peer run stops the hub mid-work on purpose: its shutdown errors are expected, not news.
        builder.Logging.SetMinimumLevel(peer ? LogLevel.None : LogLevel.Error);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort());
            silo.AddMemoryGrainStorage(StorageNames.Fleet);
            silo.UseInMemoryReminderService();
            silo.Services.AddAzureLoadBalancing(builder.Configuration);
            silo.Services.AddLoadBalancing(builder.Configuration);
            silo.AddFleetL4(builder.Configuration);
        });
        using var host = builder.Build();
        await host.StartAsync(ct);
        var fleet = new FleetGrains(host.Services.GetRequiredService<IClusterClient>());
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AzureOptions>>().Value;

        // Set-up: two clusters export every service; cluster-0 imports each with its own MCS.
        await fleet.JoinClusterAsync("cluster-0", new Dictionary<string, string>(), isVirtual: true);
        await fleet.JoinClusterAsync("cluster-1", new Dictionary<string, string>(), isVirtual: true);
        var current = new Dictionary<(int Service, int Cluster), List<string>>();
        var next = 0;
        string NewAddress() { var n = Interlocked.Increment(ref next); return $"10.{224 + n / 65000 % 16}.{n / 250 % 256}.{n % 250 + 1}"; }
        var created = DateTimeOffset.UtcNow;
        for (var s = 0; s < mcsCount; s++)
            for (var c = 0; c < 2; c++)
            {
                current[(s, c)] = Enumerable.Range(0, endpointsPerExport).Select(_ => NewAddress()).ToList();
                await fleet.ReportServiceExportAsync($"cluster-{c}", Report(s, c, current[(s, c)], created));
            }
        var setup = Stopwatch.StartNew();
        for (var s = 0; s < mcsCount; s++)
            await fleet.ApplyMultiClusterServiceAsync("cluster-0", new MultiClusterServiceSpec("bench", $"svc-{s:D4}", $"svc-{s:D4}"));
        var poolNames = Enumerable.Range(0, mcsCount).Select(s => AzureNames.ForMcs($"cluster-0/bench/svc-{s:D4}")).ToArray();
        var lbId = arm.LoadBalancerId(AzureNames.LoadBalancer(options.LoadBalancerName, false, 1));
        while (true)
        {
            var pools = Pools(arm, lbId);
            if (pools is not null && poolNames.All(p => pools.TryGetValue(p, out var a) && a.Count == 2 * endpointsPerExport)) break;
            if (setup.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("set-up did not converge");
            await Task.Delay(200, ct);
        }
        var setupTime = setup.Elapsed;
        var requestsBefore = arm.Requests.Count;
        await using var model = peer ? new CloudProviderAzureModel(arm.CreateHttpClient(), options, lbId, PeerBatch) : null;
        // The hub only built the LB for the peer: stopped, it cannot write the pools back (its MCSes resync on reminders).
        if (peer) await host.StopAsync(CancellationToken.None);
        model?.Start();

        // Churn, with an observer timing each new address until the pool holds it.
        var pending = new ConcurrentDictionary<string, (int Pool, long Ticks)>();
        long drainFrom = 0; // set when the churn stops: the observer waits at most 60 s more for what is pending
        var latencies = new ConcurrentBag<double>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var observer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested || !pending.IsEmpty)
            {
                var pools = Pools(arm, lbId);
                var now = Stopwatch.GetTimestamp();
                if (pools is not null)
                    foreach (var (address, (pool, ticks)) in pending)
                        if (pools.TryGetValue(poolNames[pool], out var held) && held.Contains(address) && pending.TryRemove(address, out _))
                            latencies.Add(Stopwatch.GetElapsedTime(ticks, now).TotalSeconds);
                if (stop.IsCancellationRequested && Stopwatch.GetElapsedTime(Volatile.Read(ref drainFrom)) > TimeSpan.FromSeconds(60)) break;
                try { await Task.Delay(200, CancellationToken.None); } catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);
        var random = new Random(42);
        var churn = Stopwatch.StartNew();
        long changes = 0;
        while (churn.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            // Keep to the rate: as many changes as are due by now.
            var due = (long)(churn.Elapsed.TotalSeconds * rate);
            var calls = new List<Task>();
            while (changes < due)
            {
                var s = random.Next(mcsCount);
                var c = random.Next(2);
                var list = current[(s, c)];
                var address = NewAddress();
                list[random.Next(list.Count)] = address;
                pending[address] = (s, Stopwatch.GetTimestamp());
                if (model is null) calls.Add(fleet.ReportServiceExportAsync($"cluster-{c}", Report(s, c, [.. list], created)));
                else model.Set(poolNames[s], current[(s, 0)].Concat(current[(s, 1)]));
                changes++;
            }
            await Task.WhenAll(calls);
            await Task.Delay(10, ct);
        }
        var churnTime = churn.Elapsed;
        // Addresses replaced again before they reached the pool can never be seen there: not a miss.
        foreach (var (address, _) in pending)
            if (!current.Values.Any(l => l.Contains(address))) pending.TryRemove(address, out _);
        Volatile.Write(ref drainFrom, Stopwatch.GetTimestamp());
        await stop.CancelAsync();
        await observer;
        if (model is not null) await model.DisposeAsync();
        else await host.StopAsync(CancellationToken.None);

        var requests = arm.Requests.Skip(requestsBefore).ToArray();
        var writes = requests.Where(r => r.IsWrite).ToArray();
        var window = peer ? PeerBatch : options.CoalescingWindow;
        return new AzureChurnResult(
            peer ? $"cloud-provider-azure model ({PeerBatch.TotalSeconds:0} s batch, a PUT per changed pool)" : $"FleetL4 ({options.CoalescingWindow.TotalSeconds:0.###} s window, one write per LB)",
            changes, churnTime, mcsCount, writes.Length,
            MaxInWindow(writes.Select(w => w.Time).ToArray(), TimeSpan.FromMinutes(5)),
            window,
            MaxInWindow(writes.Where(w => w.Path.Contains("/loadBalancers/", StringComparison.OrdinalIgnoreCase)).Select(w => w.Time).ToArray(), options.CoalescingWindow),
            MaxInWindow(writes.Where(w => w.Path.Contains("/loadBalancers/", StringComparison.OrdinalIgnoreCase)).Select(w => w.Time).ToArray(), window),
            [.. latencies.Order()], pending.Count,
            requests.Count(r => r.Status == HttpStatusCode.TooManyRequests), arm.Violations.Count, setupTime);
    }

    private static ServiceExportReport Report(int service, int cluster, IReadOnlyList<string> addresses, DateTimeOffset created) =>
        new("bench", $"svc-{service:D4}", created.AddSeconds(cluster),
            new ExportedService("ClusterIP", "10.0.0.10", [new ServicePort("web", "TCP", 8080)]),
            addresses.Select(a => new EndpointInfo(a)).ToArray());

    private static Dictionary<string, SortedSet<string>>? Pools(FakeArmServer arm, string lbId) =>
        arm.Get(lbId) is { } lb ? ArmLoadBalancerJson.Parse(lb).Pools.ToDictionary(p => p.Key, p => p.Value) : null;

    private static int MaxInWindow(DateTimeOffset[] times, TimeSpan window)
    {
        Array.Sort(times);
        var most = 0;
        for (int i = 0, j = 0; i < times.Length; i++)
        {
            while (times[i] - times[j] >= window) j++;
            most = Math.Max(most, i - j + 1);
        }
        return most;
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
