using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FleetL4.HubApi;
using FleetL4.LoadBalancing;
using FleetL4.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetL4.Benchmarks;

/// <summary>
/// Hosts a hub silo in this process (localhost clustering, memory storage and reminders, the in-memory load
/// balancer provider, coalescing window 0) and drives it through <see cref="FleetGrains"/>:
/// <list type="number">
/// <item>load: join every cluster, report every (cluster, service) export with its endpoints;</item>
/// <item>throughput: export updates that each replace one endpoint of one export;</item>
/// <item>latency: MCSes for the first services, then updates that add an endpoint, timed until the provider is
/// handed a backend set holding it; once on an idle hub and once under a background update load.</item>
/// </list>
/// </summary>
public static class FleetBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions o, CancellationToken cancellationToken)
    {
        var result = new BenchmarkResult(o);
        var workload = new Workload(o.Clusters, o.Services, o.Endpoints);
        Log($"FleetL4 benchmark: {o.Clusters:N0} clusters x {o.Services:N0} services x {o.Endpoints:N0} endpoints = {o.TotalEndpoints:N0} endpoints; "
            + $"{o.Updates:N0} updates at {o.Concurrency} in flight; {o.LatencySamples:N0} latency samples over {o.McsServices} MCSes");

        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FleetL4:CoalescingWindow"] = "00:00:00",
            // Leases must not lapse during the run (lease = 3 x heartbeat interval; nobody heartbeats here).
            ["FleetL4:HeartbeatInterval"] = "00:10:00",
            // Room for more than the default /24 worth of MCS frontends.
            ["FleetL4:FrontendPool"] = "100.64.0.0/16",
            ["FleetL4:Provider"] = "InMemory",
        });
        // Warnings and errors only. During silo stop, Orleans deactivates the memory storage grains while export
        // grains still flush their write-behind state, which logs an error per export: noise once the numbers are
        // taken, so only Critical passes then. (This filter rule replaces the minimum level, so it applies both.)
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var stopping = false;
        long suppressed = 0;
        builder.Logging.AddFilter((_, level) =>
        {
            if (level < LogLevel.Warning) return false;
            if (!Volatile.Read(ref stopping) || level >= LogLevel.Critical) return true;
            Interlocked.Increment(ref suppressed);
            return false;
        });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.AddMemoryGrainStorage(StorageNames.Fleet);
            silo.UseInMemoryReminderService();
            silo.Services.AddLoadBalancing(builder.Configuration);
            silo.AddFleetL4(builder.Configuration);
        });

        using var host = builder.Build();
        var startWatch = Stopwatch.StartNew();
        await host.StartAsync(cancellationToken);
        result.SiloStart = startWatch.Elapsed;
        var client = new FleetGrains(host.Services.GetRequiredService<IClusterClient>());
        var provider = host.Services.GetRequiredService<InMemoryLoadBalancerProvider>();
        var watcher = new PropagationWatcher();
        provider.Ensured += watcher.OnEnsured;
        Log($"silo started in {result.SiloStart.TotalSeconds:0.0} s (silo port {siloPort}, gateway {gatewayPort})");

        try
        {
            result.MemoryBaseline = MemorySnapshot.Take();
            await LoadAsync(o, workload, client, result, cancellationToken);
            result.MemoryAfterLoad = MemorySnapshot.Take();
            Log($"memory after load: managed {Mib(result.MemoryAfterLoad.ManagedBytes)}, working set {Mib(result.MemoryAfterLoad.WorkingSetBytes)} "
                + $"({Mib(result.MemoryAfterLoad.TrimmedWorkingSetBytes)} after an aggressive GC)");

            await ThroughputAsync(o, workload, client, result, cancellationToken);
            await CreateMultiClusterServicesAsync(o, workload, client, provider, result, cancellationToken);
            result.IdleLatency = await LatencyAsync(o, workload, client, watcher, withLoad: false, result, cancellationToken);
            if (o.LoadedLatency)
                result.LoadedLatency = await LatencyAsync(o, workload, client, watcher, withLoad: true, result, cancellationToken);
            await VerifyAsync(o, workload, client, provider, result);
            result.EnsureCalls = provider.EnsureCalls;
            result.MemoryAtEnd = MemorySnapshot.Take();
            Log($"memory at end: managed {Mib(result.MemoryAtEnd.ManagedBytes)}, working set {Mib(result.MemoryAtEnd.WorkingSetBytes)} "
                + $"({Mib(result.MemoryAtEnd.TrimmedWorkingSetBytes)} after an aggressive GC), peak {Mib(result.MemoryAtEnd.PeakWorkingSetBytes)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result.Problems.Add($"benchmark aborted: {ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine(ex);
        }
        finally
        {
            provider.Ensured -= watcher.OnEnsured;
            Volatile.Write(ref stopping, true);
            var stopWatch = Stopwatch.StartNew();
            // Graceful shutdown deactivates every grain; bound it, the numbers are already taken.
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await host.StopAsync(stopTimeout.Token);
            }
            catch (Exception ex)
            {
                Log($"silo stop: {ex.GetType().Name}: {ex.Message}");
            }
            result.SiloStop = stopWatch.Elapsed;
            Log($"silo stopped in {result.SiloStop.TotalSeconds:0.0} s"
                + (Interlocked.Read(ref suppressed) > 0 ? $" ({Interlocked.Read(ref suppressed):N0} warning/error log calls suppressed while stopping)" : ""));
        }

        var markdown = result.ToMarkdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (o.OutputPath is not null)
        {
            await File.AppendAllTextAsync(o.OutputPath, markdown + Environment.NewLine, CancellationToken.None);
            Log($"appended the result to {o.OutputPath}");
        }
        return result.Problems.Count == 0 ? 0 : 1;
    }

    /// <summary>Phase 1: join every cluster, then one initial report per (cluster, service).</summary>
    private static async Task LoadAsync(BenchmarkOptions o, Workload w, FleetGrains client, BenchmarkResult result, CancellationToken ct)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Clusters), Options(o.Concurrency, ct), async (c, _) =>
        {
            var view = await client.JoinClusterAsync(w.Cluster(c), new Dictionary<string, string> { ["bench"] = "true" });
            if (!view.Joined || !view.LeaseLive) throw new InvalidOperationException($"cluster {view.Name} did not join with a live lease");
        });

        var cost = PhaseCost.Start();
        var invalid = 0;
        var progress = new Progress("load", o.Exports);
        await Parallel.ForEachAsync(LongRange(0, o.Exports), Options(o.Concurrency, ct), async (i, _) =>
        {
            var (c, s) = w.ExportAt(i);
            var view = await client.ReportServiceExportAsync(w.Cluster(c), w.Initial(c, s));
            if (!IsValidWithoutConflict(view)) Interlocked.Increment(ref invalid);
            progress.Tick();
        });
        result.Load = cost();
        if (invalid > 0) result.Problems.Add($"load: {invalid:N0} exports were not Valid=True/Conflict=False");
        Log($"load: {o.Exports:N0} exports ({o.TotalEndpoints:N0} endpoints) in {result.Load.Wall.TotalSeconds:0.00} s = "
            + $"{o.Exports / result.Load.Wall.TotalSeconds:N0} exports/s, CPU {result.Load.CoresBusy:0.00} cores, other processes {result.Load.OtherCoresBusy:0.00} cores");
    }

    /// <summary>Phase 2: each update replaces one endpoint of one export; exports are visited cluster-first.</summary>
    private static async Task ThroughputAsync(BenchmarkOptions o, Workload w, FleetGrains client, BenchmarkResult result, CancellationToken ct)
    {
        // Warm up for a time, not a count: JIT tiering, and long enough that the exports' endpoint write-behind
        // (FleetL4:EndpointWriteBehind, 5 s) is persisting in its steady state when the measurement starts.
        // A measurement shorter than that window would leave the deferred storage writes out.
        long next = 0;
        if (o.WarmupDuration > TimeSpan.Zero)
        {
            using var stop = new CancellationTokenSource(o.WarmupDuration);
            var watch = Stopwatch.StartNew();
            await RunUpdatesAsync(Unbounded(0, stop.Token), o.Concurrency, w, client, (_, _) => Interlocked.Increment(ref next), ct);
            result.WarmupUpdates = next;
            Log($"throughput: {next:N0} warm-up updates in {watch.Elapsed.TotalSeconds:0.0} s ({next / watch.Elapsed.TotalSeconds:N0}/s)");
        }

        var latencies = new double[o.Updates];
        var cost = PhaseCost.Start();
        var start = next;
        await RunUpdatesAsync(LongRange(next, o.Updates), o.Concurrency, w, client, (i, ms) => latencies[i - start] = ms, ct);
        result.Throughput = cost();
        result.UpdateCallLatency = LatencySummary.Of(latencies);
        result.NextUpdateIndex = next + o.Updates;
        Log($"throughput: {o.Updates:N0} updates in {result.Throughput.Wall.TotalSeconds:0.00} s = {result.UpdatesPerSecond:N0} updates/s, "
            + $"call p50 {result.UpdateCallLatency!.P50:0.0} ms p99 {result.UpdateCallLatency.P99:0.0} ms, CPU {result.Throughput.CoresBusy:0.00} cores, other processes {result.Throughput.OtherCoresBusy:0.00} cores");
    }

    private static Task RunUpdatesAsync(IEnumerable<long> indices, int concurrency, Workload w, FleetGrains client,
        Action<long, double>? record, CancellationToken ct) =>
        Parallel.ForEachAsync(indices, Options(concurrency, ct), async (i, _) =>
        {
            var (c, s) = w.ExportAt(i);
            var report = w.ReplaceOne(c, s);
            var t0 = Stopwatch.GetTimestamp();
            await client.ReportServiceExportAsync(w.Cluster(c), report);
            record?.Invoke(i, LatencySummary.TicksToMs(Stopwatch.GetTimestamp() - t0));
        });

    /// <summary>Phase 3a: an MCS on cluster-0 for each of the first services; waits until each has its frontend.</summary>
    private static async Task CreateMultiClusterServicesAsync(BenchmarkOptions o, Workload w, FleetGrains client,
        InMemoryLoadBalancerProvider provider, BenchmarkResult result, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, o.McsServices), Options(o.Concurrency, ct), async (s, _) =>
        {
            var name = w.ServiceNameOf(s);
            await client.ApplyMultiClusterServiceAsync(Workload.McsCluster, new MultiClusterServiceSpec(Workload.Namespace, name, name));
        });

        var deadline = Stopwatch.StartNew();
        var pending = Enumerable.Range(0, o.McsServices).ToList();
        while (pending.Count > 0)
        {
            var views = await Task.WhenAll(pending.Select(s => client.GetMultiClusterServiceAsync(Workload.McsCluster, Workload.Namespace, w.ServiceNameOf(s))));
            pending = pending.Where((_, i) => views[i].ExternalIp is null || !views[i].LoadBalancerInSync).ToList();
            if (pending.Count == 0) break;
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"{pending.Count} MCSes have no frontend IP after 60 s (first: {w.McsId(pending[0])})");
            await Task.Delay(20, ct);
        }
        result.McsReady = watch.Elapsed;

        var expected = o.Clusters * o.Endpoints;
        var wrong = Enumerable.Range(0, o.McsServices).Count(s => provider.Find(w.McsId(s))?.Backends.Count != expected);
        if (wrong > 0) result.Problems.Add($"mcs: {wrong} load balancers do not hold {expected} backends after creation");
        Log($"mcs: {o.McsServices} MCSes have frontends and {expected:N0} backends each after {result.McsReady.TotalSeconds:0.00} s");
    }

    /// <summary>
    /// Phase 3b/3c: sequential samples; each adds a new endpoint to a random cluster's export of a random MCS-bound
    /// service and waits for the provider to be handed a backend set that holds it. With <paramref name="withLoad"/>,
    /// phase-2 style updates (over all exports, so some hit MCS-bound services) run in the background meanwhile,
    /// at --background-rate or as fast as --concurrency calls in flight allow, and the samples are spread over at
    /// least --loaded-seconds.
    /// </summary>
    private static async Task<LatencyResult> LatencyAsync(BenchmarkOptions o, Workload w, FleetGrains client, PropagationWatcher watcher,
        bool withLoad, BenchmarkResult result, CancellationToken ct)
    {
        var random = new Random(o.Seed + (withLoad ? 1 : 0));
        var propagation = new List<double>(o.LatencySamples);
        var acks = new List<double>(o.LatencySamples);
        var timeouts = 0;

        using var stopLoad = new CancellationTokenSource();
        long backgroundDone = 0;
        var background = Task.CompletedTask;
        Func<PhaseCost>? cost = null;
        if (withLoad)
        {
            var first = result.NextUpdateIndex;
            var indices = Unbounded(first, stopLoad.Token);
            var paced = Stopwatch.StartNew();
            cost = PhaseCost.Start();
            background = Task.Run(() => Parallel.ForEachAsync(indices, Options(o.Concurrency, ct), async (i, token) =>
            {
                if (o.BackgroundRate > 0)
                {
                    var due = TimeSpan.FromSeconds((i - first) / o.BackgroundRate) - paced.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, token);
                }
                var (c, s) = w.ExportAt(i);
                await client.ReportServiceExportAsync(w.Cluster(c), w.ReplaceOne(c, s));
                Interlocked.Increment(ref backgroundDone);
            }), ct);
            // Let the background load reach its steady state before sampling.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }

        var startedDuringLoad = Interlocked.Read(ref backgroundDone);
        var sampleWatch = Stopwatch.StartNew();
        var spacing = withLoad ? o.LoadedDuration / o.LatencySamples : TimeSpan.Zero;
        for (var i = 0; i < o.LatencySamples; i++)
        {
            var wait = spacing * i - sampleWatch.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            var s = random.Next(o.McsServices);
            var c = random.Next(o.Clusters);
            var (report, address) = w.AddOne(c, s);
            var seen = watcher.Expect(w.McsId(s), w.Cluster(c), address);
            var t0 = Stopwatch.GetTimestamp();
            await client.ReportServiceExportAsync(w.Cluster(c), report);
            acks.Add(LatencySummary.TicksToMs(Stopwatch.GetTimestamp() - t0));
            try
            {
                var t1 = await seen.WaitAsync(o.SampleTimeout, ct);
                propagation.Add(LatencySummary.TicksToMs(t1 - t0));
            }
            catch (TimeoutException)
            {
                timeouts++;
            }
            watcher.Disarm();
        }
        var sampling = sampleWatch.Elapsed;
        var doneDuringSampling = Interlocked.Read(ref backgroundDone) - startedDuringLoad;

        PhaseCost? loadCost = null;
        if (withLoad)
        {
            loadCost = cost!();
            await stopLoad.CancelAsync();
            await background;
            result.NextUpdateIndex += Interlocked.Read(ref backgroundDone);
        }

        var latency = new LatencyResult(LatencySummary.Of(propagation), LatencySummary.Of(acks), timeouts,
            withLoad ? doneDuringSampling / sampling.TotalSeconds : null, loadCost, sampling);
        var label = withLoad ? "under load" : "idle";
        if (timeouts > 0) result.Problems.Add($"latency ({label}): {timeouts} of {o.LatencySamples} samples timed out");
        var p = latency.Propagation;
        Log($"latency {label}: p50 {p?.P50:0.00} ms, p99 {p?.P99:0.00} ms, max {p?.Max:0.00} ms, {timeouts} timeouts over {sampling.TotalSeconds:0.0} s"
            + (withLoad ? $"; background {latency.BackgroundUpdatesPerSecond:N0} updates/s, CPU {loadCost!.CoresBusy:0.00} cores" : ""));
        return latency;
    }

    /// <summary>Spot checks that what the hub holds matches what was sent.</summary>
    private static async Task VerifyAsync(BenchmarkOptions o, Workload w, FleetGrains client, InMemoryLoadBalancerProvider provider, BenchmarkResult result)
    {
        var random = new Random(o.Seed + 2);
        for (var n = 0; n < 20; n++)
        {
            var c = random.Next(o.Clusters);
            var s = random.Next(o.Services);
            var view = await client.GetServiceExportAsync(w.Cluster(c), Workload.Namespace, w.ServiceNameOf(s));
            var sent = w.Current(c, s);
            if (!view.Endpoints.Select(e => e.Address).SequenceEqual(sent.Select(e => e.Address)))
                result.Problems.Add($"verify: export {w.Cluster(c)}/{w.ServiceNameOf(s)} holds other endpoints than last sent");
            else if (n == 0)
                result.DriverSharesEndpoints = ReferenceEquals(view.Endpoints, sent);
        }

        for (var s = 0; s < o.McsServices; s++)
        {
            var expected = Enumerable.Range(0, o.Clusters)
                .SelectMany(c => w.Current(c, s).Select(e => new Backend(w.Cluster(c), e.Address)))
                .ToHashSet();
            var held = provider.Find(w.McsId(s))?.Backends ?? [];
            if (!expected.SetEquals(held))
            {
                result.Problems.Add($"verify: load balancer {w.McsId(s)} holds {held.Count} backends, expected {expected.Count} (or different ones)");
                break;
            }
        }

        // The latency phases add endpoints to services with an MCS: compare with what the driver last sent.
        var last = o.Services - 1;
        var sentBackends = Enumerable.Range(0, o.Clusters).Sum(c => w.Current(c, last).Length);
        var import = await client.GetServiceImportAsync(Workload.Namespace, w.ServiceNameOf(last));
        if (import.BackendCount != sentBackends || import.Exports.Count != o.Clusters || import.Exports.Any(e => e.State != "Active"))
            result.Problems.Add($"verify: import {import.Name} has {import.BackendCount} backends from {import.Exports.Count} exports");
        Log($"verify: done, {result.Problems.Count} problems");
    }

    private static bool IsValidWithoutConflict(ServiceExportView view) =>
        view.Conditions.Any(c => c is { Type: "Valid", Status: "True" }) &&
        view.Conditions.Any(c => c is { Type: "Conflict", Status: "False" });

    private static ParallelOptions Options(int degree, CancellationToken ct) =>
        new() { MaxDegreeOfParallelism = degree, CancellationToken = ct };

    private static IEnumerable<long> LongRange(long start, long count)
    {
        for (var i = start; i < start + count; i++) yield return i;
    }

    private static IEnumerable<long> Unbounded(long start, CancellationToken stop)
    {
        for (var i = start; !stop.IsCancellationRequested; i++) yield return i;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";

    internal static void Log(string message) =>
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Prints a line every 10% of a phase.</summary>
    private sealed class Progress(string phase, long total)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _done;

        public void Tick()
        {
            var done = Interlocked.Increment(ref _done);
            var step = Math.Max(1, total / 10);
            if (done % step == 0 && done < total)
                Log($"{phase}: {done:N0}/{total:N0} ({done / _watch.Elapsed.TotalSeconds:N0}/s)");
        }
    }
}
