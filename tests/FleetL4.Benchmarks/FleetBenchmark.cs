using System.Diagnostics;
using System.Globalization;
using FleetL4.LoadBalancing;
using FleetL4.Models;

namespace FleetL4.Benchmarks;

/// <summary>
/// Hosts a hub in this process (<see cref="InProcessHub"/>: shipped defaults, the in-memory provider) and drives it
/// through its hub API over a loopback socket, as agents do (<see cref="SimulatedMembers"/>):
/// <list type="number">
/// <item>load: every cluster joins and syncs all its exports with their endpoints (as an agent's first sync);</item>
/// <item>throughput: member syncs of --batch export updates each, every update replacing one endpoint of one export;</item>
/// <item>latency: MCSes for the first services, then updates that add an endpoint, timed from the member sync call
/// until the provider is handed a backend set holding it; once on an idle hub and once under a background update load.</item>
/// </list>
/// </summary>
public static class FleetBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions o, CancellationToken cancellationToken)
    {
        var result = new BenchmarkResult(o);
        var workload = new Workload(o.Clusters, o.Services, o.Endpoints);
        Log($"FleetL4 benchmark: {o.Clusters:N0} clusters x {o.Services:N0} services x {o.Endpoints:N0} endpoints = {o.TotalEndpoints:N0} endpoints; "
            + $"{o.Updates:N0} updates in member syncs of {o.Batch} at {o.CallsInFlight} calls in flight; {o.LatencySamples:N0} latency samples over {o.McsServices} MCSes");

        // Started before the hub and disposed after it (the end of this method), so that the hub stops with its storage up.
        await using var azurite = o.Storage == BenchmarkStorage.Azurite ? await AzuriteProcess.StartAsync(cancellationToken) : null;
        var startWatch = Stopwatch.StartNew();
        var hub = await InProcessHub.StartAsync(o.CoalescingWindow, azurite?.ConnectionString, cancellationToken);
        result.SiloStart = startWatch.Elapsed;
        var storage = new PhaseStorage(hub.Storage, result);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, hub.Stopping);
        cancellationToken = stop.Token;
        result.CoalescingWindow = hub.CoalescingWindow;
        var provider = hub.Provider;
        var watcher = new PropagationWatcher();
        provider.Ensured += watcher.OnEnsured;
        Log($"hub started in {result.SiloStart.TotalSeconds:0.0} s (API {hub.Url}, silo port {hub.SiloPort}, gateway {hub.GatewayPort}; "
            + $"coalescing window {hub.CoalescingWindow.TotalMilliseconds:0} ms)");
        var members = new SimulatedMembers(hub.Url, workload);

        try
        {
            result.MemoryBaseline = MemorySnapshot.Take();
            storage.Mark("hub start", 0);
            await LoadAsync(o, workload, members, result, cancellationToken);
            storage.Mark("load (join and first syncs)", o.Exports);
            result.MemoryAfterLoad = MemorySnapshot.Take();
            Log($"memory after load: managed {Mib(result.MemoryAfterLoad.ManagedBytes)}, working set {Mib(result.MemoryAfterLoad.WorkingSetBytes)} "
                + $"({Mib(result.MemoryAfterLoad.TrimmedWorkingSetBytes)} after an aggressive GC)");

            await ThroughputAsync(o, workload, members, result, storage, cancellationToken);
            await CreateMultiClusterServicesAsync(o, workload, members, provider, result, cancellationToken);
            storage.Mark("MCS creation", 0);
            result.IdleLatency = await LatencyAsync(o, workload, members, watcher, withLoad: false, result, cancellationToken);
            storage.Mark("latency, idle", o.LatencySamples);
            if (o.LoadedLatency)
            {
                var before = result.NextBatchIndex;
                result.LoadedLatency = await LatencyAsync(o, workload, members, watcher, withLoad: true, result, cancellationToken);
                storage.Mark("latency, under load", (result.NextBatchIndex - before) * o.Batch + o.LatencySamples);
            }
            await VerifyAsync(o, workload, members, provider, result);
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
            await members.DisposeAsync();
            if (members.HeartbeatFailures > 0) result.Problems.Add($"{members.HeartbeatFailures} heartbeats failed (first: {members.FirstHeartbeatFailure})");
            result.StorageWritesPerSecond = hub.Storage.PerSecond();
            result.Azurite = azurite?.Usage();
            var stopWatch = Stopwatch.StartNew();
            await hub.DisposeAsync();
            result.SiloStop = stopWatch.Elapsed;
            Log($"hub stopped in {result.SiloStop.TotalSeconds:0.0} s"
                + (hub.Suppressed > 0 ? $" ({hub.Suppressed:N0} warning/error log calls suppressed while stopping)" : ""));
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

    /// <summary>Phase 1: every cluster joins, then syncs all its exports at once (an agent's first sync).</summary>
    private static async Task LoadAsync(BenchmarkOptions o, Workload w, SimulatedMembers members, BenchmarkResult result, CancellationToken ct)
    {
        await members.JoinAsync(o.CallsInFlight, ct);
        var cost = PhaseCost.Start();
        var invalid = 0;
        var progress = new Progress("load", o.Clusters);
        // ApiMemberHub splits each cluster's sync into calls of 250 exports, 4 in flight.
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Clusters), Options(o.LoadClustersAtOnce, ct), async (c, _) =>
        {
            var reports = Enumerable.Range(0, o.Services).Select(s => w.Initial(c, s)).ToList();
            var synced = await members.Hub(c).SyncAsync(new MemberChanges(reports, [], [], []));
            var bad = synced.Rejected.Count + synced.Exports.Count(v => !IsValidWithoutConflict(v)) + (o.Services - synced.Exports.Count);
            if (bad > 0) Interlocked.Add(ref invalid, bad);
            progress.Tick();
        });
        result.Load = cost();
        if (invalid > 0) result.Problems.Add($"load: {invalid:N0} exports were refused or not Valid=True/Conflict=False");
        Log($"load: {o.Exports:N0} exports ({o.TotalEndpoints:N0} endpoints) in {result.Load.Wall.TotalSeconds:0.00} s = "
            + $"{o.Exports / result.Load.Wall.TotalSeconds:N0} exports/s, CPU {result.Load.CoresBusy:0.00} cores, other processes {result.Load.OtherCoresBusy:0.00} cores");
    }

    /// <summary>Phase 2: member syncs of --batch updates of one cluster each; each update replaces one endpoint of one export.</summary>
    private static async Task ThroughputAsync(BenchmarkOptions o, Workload w, SimulatedMembers members, BenchmarkResult result, PhaseStorage storage, CancellationToken ct)
    {
        // Warm up for a time, not a count: JIT tiering, and longer than the exports' endpoint write-behind
        // (FleetL4:EndpointWriteBehind, 30 s), so that its first round (every export, all due at once) is in the
        // warm-up. The next round may or may not fall in a short measurement: the report counts warm-up + throughput.
        long next = 0;
        if (o.WarmupDuration > TimeSpan.Zero)
        {
            using var stop = new CancellationTokenSource(o.WarmupDuration);
            var watch = Stopwatch.StartNew();
            await RunSyncsAsync(Unbounded(0, stop.Token), o, w, members, (_, _) => Interlocked.Increment(ref next), ct);
            result.WarmupUpdates = next * o.Batch;
            storage.Mark("warm-up", result.WarmupUpdates);
            Log($"throughput: {result.WarmupUpdates:N0} warm-up updates in {watch.Elapsed.TotalSeconds:0.0} s ({result.WarmupUpdates / watch.Elapsed.TotalSeconds:N0}/s)");
        }

        var calls = o.Updates / o.Batch;
        var latencies = new double[calls];
        var cost = PhaseCost.Start();
        var start = next;
        await RunSyncsAsync(LongRange(next, calls), o, w, members, (i, ms) => latencies[i - start] = ms, ct);
        result.Throughput = cost();
        storage.Mark("throughput", o.Updates);
        result.UpdateCallLatency = LatencySummary.Of(latencies);
        result.NextBatchIndex = next + calls;
        Log($"throughput: {o.Updates:N0} updates in {result.Throughput.Wall.TotalSeconds:0.00} s = {result.UpdatesPerSecond:N0} updates/s, "
            + $"sync call p50 {result.UpdateCallLatency!.P50:0.0} ms p99 {result.UpdateCallLatency.P99:0.0} ms, CPU {result.Throughput.CoresBusy:0.00} cores, other processes {result.Throughput.OtherCoresBusy:0.00} cores");
    }

    private static Task RunSyncsAsync(IEnumerable<long> batches, BenchmarkOptions o, Workload w, SimulatedMembers members,
        Action<long, double>? record, CancellationToken ct) =>
        Parallel.ForEachAsync(batches, Options(o.CallsInFlight, ct), async (i, _) => record?.Invoke(i, await SyncBatchAsync(i, o, w, members)));

    /// <summary>Member sync number <paramref name="i"/>: cluster i % C, that cluster's next --batch services (round robin); returns its duration in ms.</summary>
    private static async Task<double> SyncBatchAsync(long i, BenchmarkOptions o, Workload w, SimulatedMembers members)
    {
        var c = (int)(i % o.Clusters);
        var first = i / o.Clusters * o.Batch;
        var reports = new ServiceExportReport[o.Batch];
        for (var k = 0; k < o.Batch; k++) reports[k] = w.ReplaceOne(c, (int)((first + k) % o.Services));
        var t0 = Stopwatch.GetTimestamp();
        var synced = await members.Hub(c).SyncAsync(new MemberChanges(reports, [], [], []));
        if (synced.Rejected.Count > 0) throw new InvalidOperationException($"the hub refused {synced.Rejected[0]}");
        return LatencySummary.TicksToMs(Stopwatch.GetTimestamp() - t0);
    }

    /// <summary>Phase 3a: an MCS on cluster-0 for each of the first services (one member sync); waits until each has its frontend.</summary>
    private static async Task CreateMultiClusterServicesAsync(BenchmarkOptions o, Workload w, SimulatedMembers members,
        InMemoryLoadBalancerProvider provider, BenchmarkResult result, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var specs = Enumerable.Range(0, o.McsServices).Select(s => new MultiClusterServiceSpec(Workload.Namespace, w.ServiceNameOf(s), w.ServiceNameOf(s))).ToList();
        var applied = await members.Hub(Workload.McsClusterIndex).SyncAsync(new MemberChanges([], [], specs, []));
        if (applied.Rejected.Count > 0) throw new InvalidOperationException($"the hub refused {applied.Rejected[0]}");

        await WaitForMcsesInSyncAsync(o, members, ct);
        result.McsReady = watch.Elapsed;

        var expected = o.Clusters * o.Endpoints;
        var wrong = Enumerable.Range(0, o.McsServices).Count(s => provider.Find(w.McsId(s))?.Backends.Count != expected);
        if (wrong > 0) result.Problems.Add($"mcs: {wrong} load balancers do not hold {expected} backends after creation");
        Log($"mcs: {o.McsServices} MCSes have frontends and {expected:N0} backends each after {result.McsReady.TotalSeconds:0.00} s");
    }

    /// <summary>Until every MCS has its frontend and the provider holds its newest desired state (a trailing coalesced call may be due).</summary>
    private static async Task WaitForMcsesInSyncAsync(BenchmarkOptions o, SimulatedMembers members, CancellationToken ct)
    {
        var client = members.Client(Workload.McsClusterIndex);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var views = await client.ListMultiClusterServicesAsync(Workload.McsCluster, Workload.Namespace, ct);
            var ready = views.Count(v => v.ExternalIp is not null && v.LoadBalancerInSync);
            if (ready >= o.McsServices) return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"{o.McsServices - ready} MCSes have no frontend IP or are not in sync after 60 s");
            await Task.Delay(20, ct);
        }
    }

    /// <summary>
    /// Phase 3b/3c: samples issued at --sample-rate, round robin over the MCS-bound services (so each MCS gets one
    /// every --mcs-services / --sample-rate seconds, and at most one is in flight per MCS); each adds a new endpoint
    /// to a random cluster's export of that service, in a member sync of its own, and waits for the provider to be
    /// handed a backend set that holds it. With <paramref name="withLoad"/>, phase-2 style member syncs (over all
    /// exports, so some hit MCS-bound services) run in the background meanwhile at --background-rate updates/s.
    /// </summary>
    private static async Task<LatencyResult> LatencyAsync(BenchmarkOptions o, Workload w, SimulatedMembers members, PropagationWatcher watcher,
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
            var first = result.NextBatchIndex;
            var indices = Unbounded(first, stopLoad.Token);
            var paced = Stopwatch.StartNew();
            cost = PhaseCost.Start();
            background = Task.Run(() => Parallel.ForEachAsync(indices, Options(o.CallsInFlight, ct), async (i, token) =>
            {
                if (o.BackgroundRate > 0)
                {
                    var due = TimeSpan.FromSeconds((i - first) * o.Batch / o.BackgroundRate) - paced.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, token);
                }
                await SyncBatchAsync(i, o, w, members);
                Interlocked.Add(ref backgroundDone, o.Batch);
            }), ct);
            // Let the background load reach its steady state before sampling.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }

        var startedDuringLoad = Interlocked.Read(ref backgroundDone);
        var sampleWatch = Stopwatch.StartNew();
        var inFlight = Enumerable.Repeat(Task.CompletedTask, o.McsServices).ToArray();
        for (var i = 0; i < o.LatencySamples; i++)
        {
            var wait = TimeSpan.FromSeconds(i / o.SampleRate) - sampleWatch.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            var s = i % o.McsServices;
            await inFlight[s];
            inFlight[s] = SampleAsync(s, random.Next(o.Clusters));
        }
        await Task.WhenAll(inFlight);
        var sampling = sampleWatch.Elapsed;
        var doneDuringSampling = Interlocked.Read(ref backgroundDone) - startedDuringLoad;

        PhaseCost? loadCost = null;
        if (withLoad)
        {
            loadCost = cost!();
            await stopLoad.CancelAsync();
            await background;
            result.NextBatchIndex += Interlocked.Read(ref backgroundDone) / o.Batch;
        }

        var latency = new LatencyResult(LatencySummary.Of(propagation), LatencySummary.Of(acks), timeouts,
            withLoad ? doneDuringSampling / sampling.TotalSeconds : null, loadCost, sampling);
        var label = withLoad ? "under load" : "idle";
        if (timeouts > 0) result.Problems.Add($"latency ({label}): {timeouts} of {o.LatencySamples} samples timed out");
        var p = latency.Propagation;
        Log($"latency {label}: p50 {p?.P50:0.00} ms, p99 {p?.P99:0.00} ms, max {p?.Max:0.00} ms, {timeouts} timeouts over {sampling.TotalSeconds:0.0} s"
            + (withLoad ? $"; background {latency.BackgroundUpdatesPerSecond:N0} updates/s, CPU {loadCost!.CoresBusy:0.00} cores" : ""));
        return latency;

        async Task SampleAsync(int s, int c)
        {
            var (report, address) = w.AddOne(c, s);
            var id = w.McsId(s);
            var seen = watcher.Expect(id, w.Cluster(c), address);
            try
            {
                var t0 = Stopwatch.GetTimestamp();
                await members.Hub(c).SyncAsync(new MemberChanges([report], [], [], []));
                var ack = LatencySummary.TicksToMs(Stopwatch.GetTimestamp() - t0);
                try
                {
                    var t1 = await seen.WaitAsync(o.SampleTimeout, ct);
                    lock (propagation)
                    {
                        propagation.Add(LatencySummary.TicksToMs(t1 - t0));
                        acks.Add(ack);
                    }
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref timeouts);
                }
            }
            finally
            {
                watcher.Disarm(id);
            }
        }
    }

    /// <summary>Spot checks that what the hub holds matches what was sent.</summary>
    private static async Task VerifyAsync(BenchmarkOptions o, Workload w, SimulatedMembers members, InMemoryLoadBalancerProvider provider, BenchmarkResult result)
    {
        await WaitForMcsesInSyncAsync(o, members, CancellationToken.None);
        var client = members.Client(Workload.McsClusterIndex);
        var random = new Random(o.Seed + 2);
        for (var n = 0; n < 20; n++)
        {
            var c = random.Next(o.Clusters);
            var s = random.Next(o.Services);
            var view = await client.GetServiceExportAsync(w.Cluster(c), Workload.Namespace, w.ServiceNameOf(s));
            var sent = w.Current(c, s);
            if (!view.Endpoints.Select(e => e.Address).SequenceEqual(sent.Select(e => e.Address)))
                result.Problems.Add($"verify: export {w.Cluster(c)}/{w.ServiceNameOf(s)} holds other endpoints than last sent");
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
