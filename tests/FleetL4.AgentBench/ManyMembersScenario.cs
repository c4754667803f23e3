using System.Diagnostics;
using FleetL4.Client;
using FleetL4.Models;

namespace FleetL4.AgentBench;

/// <summary>
/// Scenario "many members": M members x K exports against the hub process. M fake API servers and M agent processes
/// are more processes than a 2-core box runs without measuring itself, so this bench plays the members through the
/// hub API, as the agent does: each member (its own FleetClient, so its own HTTP/2 connection) joins, holds its status
/// stream open (the heartbeat) and sends its exports with Sync in batches of 250. Measures set-up, the hub's CPU over
/// an idle window (goal: under 1 % of a core) and over a churn window in which P % of all exports per second change
/// one endpoint.
/// </summary>
public static class ManyMembersScenario
{
    private const int BatchSize = 250;
    private const int SetupConcurrency = 8;
    private const int ChurnInFlight = 64;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public static async Task<string> RunAsync(BenchOptions o, BenchPaths paths, MachineInfo machine, CancellationToken ct)
    {
        var (m, k) = (o.Members, o.ExportsPerMember);
        var total = m * k;
        var report = new Report($"Agent bench: many members, {m:N0} x {k:N0} = {total:N0} exports (simulated members through the hub API, hub as a process)");
        report.Row("Machine", machine.Describe());
        report.Note($"Each simulated member: its own FleetClient (HTTP/2 connection) to the hub; JoinCluster, then one WatchStatus stream held open (the heartbeat; "
            + $"the hub renews it every heartbeat interval, 10 s), then Sync of its {k:N0} exports in batches of {BatchSize} (MemberChanges, as the agent sends them). "
            + $"Every member exports svc-0..svc-{k - 1} in {o.Namespaces} namespaces, so each service is exported by all {m:N0} clusters (one ServiceImport each), 2 ready endpoints per export.");
        report.Note($"Hub: `dotnet {paths.Relative(paths.HubDll)} --FleetL4:Provider=InMemory`, default settings. Set-up runs {SetupConcurrency} members at a time. "
            + $"Churn: {o.ChurnPercent:0.##} % of all exports per second each replace one endpoint address, sent every {Tick.TotalMilliseconds:0} ms as one Sync per member with changes, "
            + $"at most {ChurnInFlight} calls in flight (the achieved rate is what the hub acknowledged in the window).");

        var hubStart = Stopwatch.StartNew();
        var (hub, hubUrl) = await Hub.StartAsync(paths, "hub-many-members", ct);
        var members = Enumerable.Range(0, m).Select(i => new SimMember(i, k, o.Namespaces, hubUrl)).ToArray();
        using var streams = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            report.Row("Hub start-up", $"{hubStart.Elapsed.TotalSeconds:0.0} s to \"Press Ctrl+C to stop.\"");
            Hub.BaselineRow(report, await Hub.BaselineAsync(o, machine, hub, ct), hub);
            var progress = new Progress("many-members", machine, (hub.Name, hub.Pid));

            // Set-up: join, open the stream, sync.
            var setup = CpuWindow.Start(machine, (hub.Name, hub.Pid));
            var clock = Stopwatch.StartNew();
            var rejected = 0;
            var done = 0;
            var reporter = Task.Run(async () =>
            {
                while (!streams.IsCancellationRequested && Volatile.Read(ref done) < m)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), streams.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    progress.Print(clock.Elapsed, $"set-up: {Volatile.Read(ref done):N0}/{m:N0} members synced, status Valid=True for {members.Sum(x => x.ValidCount):N0}/{total:N0}");
                }
            }, ct);
            await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = SetupConcurrency, CancellationToken = ct }, async (member, token) =>
            {
                await member.JoinAsync(token);
                member.StartStream(streams.Token);
                Interlocked.Add(ref rejected, await member.SyncAllAsync(token));
                Interlocked.Increment(ref done);
            });
            var synced = clock.Elapsed;
            // Converged: every member's stream has shown every one of its exports Valid=True.
            var deadline = TimeSpan.FromSeconds(o.TimeoutSeconds);
            while (members.Sum(x => x.ValidCount) < total && clock.Elapsed < deadline)
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            var statusDone = clock.Elapsed;
            var validCount = members.Sum(x => x.ValidCount);
            var setupCpu = setup.Stop();
            await reporter;
            var held = 0;
            await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = SetupConcurrency, CancellationToken = ct }, async (member, token) =>
                Interlocked.Add(ref held, (await member.Client.GetMemberClusterAsync(member.Cluster, token)).ServiceExports.Count));
            report.Row("Set-up: all members joined and synced (every Sync returned)", $"**{synced.TotalSeconds:0.0} s** = {total / synced.TotalSeconds:N0} exports/s"
                + (rejected > 0 ? $"; **{rejected:N0} refused**" : "") + $"; the hub holds {held:N0} of {total:N0}");
            report.Row("Set-up: every member's status stream shows all its exports Valid=True", validCount >= total
                ? $"**{statusDone.TotalSeconds:0.0} s** after the first join"
                : $"**not reached in {o.TimeoutSeconds} s**: {validCount:N0} of {total:N0}");
            report.Row("Hub CPU during set-up", $"{setupCpu.Describe(hub.Name)}; bench process {setupCpu.DescribeSelf()}");

            // Idle.
            await Task.Delay(TimeSpan.FromSeconds(o.SettleSeconds), ct);
            var messagesBefore = members.Sum(x => x.Messages);
            var failuresBefore = members.Sum(x => x.StreamFailures);
            var idleWindow = CpuWindow.Start(machine, (hub.Name, hub.Pid));
            await Task.Delay(TimeSpan.FromSeconds(o.IdleSeconds), ct);
            var idle = idleWindow.Stop();
            var idleMessages = members.Sum(x => x.Messages) - messagesBefore;
            var idlePercent = idle.Percent(hub.Name);
            report.Row($"Hub CPU, {idle.Wall.TotalSeconds:0} s idle window ({o.SettleSeconds} s after set-up; {m:N0} streams open, nothing else sent)",
                $"**{idle.Describe(hub.Name)}**; goal < 1 % of a core: {(idlePercent is { } p ? p < 1 ? "met" : "**not met**" : "-")}");
            report.Row("Bench process (the simulated members), same window", idle.DescribeSelf());
            report.Row("Machine during the idle window", idle.DescribeMachine());
            report.Row("Status messages pushed to the members in the idle window", $"{idleMessages:N0}; stream failures {members.Sum(x => x.StreamFailures) - failuresBefore:N0}");

            // Churn.
            var churn = await ChurnAsync(o, members, machine, hub, progress, ct);
            report.Row($"Churn window: {o.ChurnPercent:0.##} % of the exports per second change one endpoint (target {total * o.ChurnPercent / 100:N0} changes/s for {o.ChurnSeconds} s)",
                churn.Describe(hub.Name));
            report.Row("Machine during the churn window", churn.Cpu.DescribeMachine());

            var memory = Proc.Memory(hub.Pid);
            report.Row("Hub RSS at the end (peak)", memory is { } v ? $"{Report.Mib(v.Rss)} ({Report.Mib(v.Peak)})" : "-");
            report.Row("Status streams", $"{members.Sum(x => x.Messages):N0} messages with {members.Sum(x => x.ViewsReceived):N0} export views received in all; "
                + $"{members.Sum(x => x.StreamFailures):N0} stream failures (reopened after 1 s){(members.FirstOrDefault(x => x.LastStreamError is not null) is { } bad ? $"; e.g. {bad.LastStreamError}" : "")}");
            report.Row("Hub log", $"{hub.Lines:N0} lines, {hub.Warnings:N0} warnings, {hub.Errors:N0} errors"
                + (hub.FirstWarnings.Count > 0 ? $"; first: {string.Join(" / ", hub.FirstWarnings.Take(3))}" : ""));
            await streams.CancelAsync();
            await Task.WhenAll(members.Select(x => x.StopAsync()));
            report.Row("Stop", $"hub: {await Hub.StopAsync(hub)}");
            return report.ToMarkdown();
        }
        finally
        {
            await streams.CancelAsync();
            await Task.WhenAll(members.Select(x => x.StopAsync()));
            foreach (var member in members) member.Dispose();
            if (!hub.HasExited) await hub.TerminateAsync(TimeSpan.FromSeconds(5));
            await hub.DisposeAsync();
        }
    }

    private sealed record ChurnResult(long Target, long Sent, long Acknowledged, long Failed, long Calls, long Messages, TimeSpan Wall, List<double> Latencies, CpuResult Cpu)
    {
        public string Describe(string hub) =>
            $"achieved **{Acknowledged / Wall.TotalSeconds:N0} changes/s** ({Acknowledged:N0} acknowledged in {Wall.TotalSeconds:0.0} s of {Target:N0} due; {Sent:N0} sent"
            + $"{(Failed > 0 ? $", **{Failed:N0} failed**" : "")}) in {Calls:N0} Sync calls; Sync latency p50 {Report.Percentile(Latencies, 50):0.0} ms, p99 {Report.Percentile(Latencies, 99):0.0} ms; "
            + $"hub **{Cpu.Describe(hub)}**; bench process {Cpu.DescribeSelf()}; status messages pushed meanwhile {Messages:N0}";
    }

    private static async Task<ChurnResult> ChurnAsync(BenchOptions o, SimMember[] members, MachineInfo machine, ChildProcess hub, Progress progress, CancellationToken ct)
    {
        var k = o.ExportsPerMember;
        var total = members.Length * k;
        var rate = total * o.ChurnPercent / 100;
        // Every export once in a shuffled order, then again.
        var order = Enumerable.Range(0, total).ToArray();
        new Random(42).Shuffle(order);
        long sent = 0, acknowledged = 0, failed = 0, calls = 0;
        var latencies = new List<double>();
        var inFlight = new SemaphoreSlim(ChurnInFlight);
        var pending = new List<Task>();
        var messagesBefore = members.Sum(x => x.Messages);
        var duration = TimeSpan.FromSeconds(o.ChurnSeconds);
        var window = CpuWindow.Start(machine, (hub.Name, hub.Pid));
        var clock = Stopwatch.StartNew();
        var open = true;
        var nextProgress = TimeSpan.FromSeconds(5);
        using var timer = new PeriodicTimer(Tick);
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync(ct))
        {
            var due = (long)(rate * Math.Min(clock.Elapsed.TotalSeconds, duration.TotalSeconds));
            var changes = new List<int>();
            while (sent < due) changes.Add(order[sent++ % total]);
            foreach (var group in changes.GroupBy(e => e / k))
            {
                await inFlight.WaitAsync(ct);
                var member = members[group.Key];
                var exports = group.Select(e => e % k).ToArray();
                Interlocked.Increment(ref calls);
                pending.Add(Task.Run(async () =>
                {
                    try
                    {
                        var took = await member.ChangeOneEndpointAsync(exports, ct);
                        lock (latencies)
                        {
                            if (Volatile.Read(ref open)) acknowledged += exports.Length;
                            latencies.Add(took.TotalMilliseconds);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Interlocked.Add(ref failed, exports.Length);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }, ct));
            }
            pending.RemoveAll(t => t.IsCompleted);
            if (clock.Elapsed >= nextProgress)
            {
                nextProgress += TimeSpan.FromSeconds(5);
                long ack;
                lock (latencies) ack = acknowledged;
                progress.Print(clock.Elapsed, $"churn: {sent:N0} sent, {ack:N0} acknowledged ({ack / clock.Elapsed.TotalSeconds:N0}/s, target {rate:N0}/s)");
            }
        }
        var wall = clock.Elapsed;
        var cpu = window.Stop();
        long acked;
        lock (latencies)
        {
            Volatile.Write(ref open, false);
            acked = acknowledged;
        }
        // Let what is in flight land (not measured) before the next phase.
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(30), ct));
        List<double> sorted;
        lock (latencies) sorted = [.. latencies.Order()];
        return new ChurnResult((long)(rate * duration.TotalSeconds), sent, acked, Interlocked.Read(ref failed), calls, members.Sum(x => x.Messages) - messagesBefore, wall, sorted, cpu);
    }
}

/// <summary>One simulated member cluster: what its agent would send, and what its status stream shows.</summary>
public sealed class SimMember : IDisposable
{
    private static long _addresses = 1_000_000; // above the one-member scenario's addresses (never used together anyway)
    private static long _revision;
    private readonly int _namespaces;
    private readonly string[][] _endpoints;
    private readonly DateTimeOffset _created = DateTimeOffset.UtcNow;
    private readonly Dictionary<NamespacedName, bool> _valid = [];
    private readonly Lock _lock = new();
    private Task _stream = Task.CompletedTask;
    private int _validCount;
    private long _messages, _views;
    private int _failures;

    public SimMember(int index, int exports, int namespaces, string hubUrl)
    {
        Cluster = $"member-{index:D3}";
        _namespaces = namespaces;
        _endpoints = [.. Enumerable.Range(0, exports).Select(_ => new[] { NextAddress(), NextAddress() })];
        Client = new FleetClient(new HubConnectionOptions { Hubs = [new Uri(hubUrl)] });
    }

    public string Cluster { get; }
    public FleetClient Client { get; }
    public int ValidCount => Volatile.Read(ref _validCount);
    public long Messages => Interlocked.Read(ref _messages);
    public long ViewsReceived => Interlocked.Read(ref _views);
    public int StreamFailures => Volatile.Read(ref _failures);
    public string? LastStreamError { get; private set; }

    private static string NextAddress() => Workload.Address(Interlocked.Increment(ref _addresses));

    public Task JoinAsync(CancellationToken ct) =>
        Client.JoinClusterAsync(Cluster, new Dictionary<string, string> { [Workload.LocationLabel] = Workload.Location }, ct: ct);

    /// <summary>Holds the status stream open (reopening it a second after it fails) until <paramref name="ct"/>.</summary>
    public void StartStream(CancellationToken ct) => _stream = Task.Run(async () =>
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var update in Client.WatchStatusAsync(Cluster, ct)) Take(update);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                LastStreamError = ex.Message;
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { return; }
        }
    }, CancellationToken.None);

    public async Task StopAsync()
    {
        try { await _stream; } catch (OperationCanceledException) { }
    }

    private void Take(StatusUpdate update)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _views, update.Exports.Count);
        lock (_lock)
        {
            if (update.Resync) _valid.Clear();
            foreach (var view in update.Exports)
            {
                var key = new NamespacedName(view.Namespace, view.Name);
                if (view.Exists) _valid[key] = view.Conditions.Any(c => c.Type == ConditionTypes.Valid && c.Status == ConditionStatuses.True);
                else _valid.Remove(key);
            }
            Volatile.Write(ref _validCount, _valid.Values.Count(v => v));
        }
    }

    private ServiceExportReport Report(int i)
    {
        string[] endpoints;
        lock (_endpoints[i]) endpoints = [.. _endpoints[i]];
        return new ServiceExportReport(Workload.Namespace(i, _namespaces), Workload.Name(i), _created, Workload.ExportedService(i),
            [.. endpoints.Select(a => new EndpointInfo(a))], Generation: 1, Revision: Interlocked.Increment(ref _revision));
    }

    /// <summary>Sends every export in batches of 250; returns how many the hub refused.</summary>
    public async Task<int> SyncAllAsync(CancellationToken ct)
    {
        var refused = 0;
        foreach (var batch in Enumerable.Range(0, _endpoints.Length).Chunk(250))
        {
            var result = await Client.SyncAsync(Cluster, new MemberChanges([.. batch.Select(Report)], [], [], [], Interlocked.Read(ref _revision)), ct);
            refused += result.Rejected.Count;
        }
        return refused;
    }

    /// <summary>Each of these exports replaces one of its endpoint addresses with a new one; one Sync. Returns the call's time.</summary>
    public async Task<TimeSpan> ChangeOneEndpointAsync(IReadOnlyList<int> exports, CancellationToken ct)
    {
        foreach (var i in exports)
            lock (_endpoints[i])
            {
                var e = _endpoints[i];
                e[0] = e[1];
                e[1] = NextAddress();
            }
        var reports = exports.Select(Report).ToArray();
        var sw = Stopwatch.StartNew();
        var result = await Client.SyncAsync(Cluster, new MemberChanges(reports, [], [], [], Interlocked.Read(ref _revision)), ct);
        if (result.Rejected.Count > 0) throw new InvalidOperationException($"{Cluster}: the hub refused {result.Rejected[0]}");
        return sw.Elapsed;
    }

    public void Dispose() => Client.Dispose();
}
