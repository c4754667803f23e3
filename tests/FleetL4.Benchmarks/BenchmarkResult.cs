using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace FleetL4.Benchmarks;

/// <summary>One latency run: propagation to the provider, the update call's own return, timeouts, background load.</summary>
public sealed record LatencyResult(
    LatencySummary? Propagation,
    LatencySummary? Ack,
    int Timeouts,
    double? BackgroundUpdatesPerSecond,
    PhaseCost? BackgroundCost,
    TimeSpan Duration);

/// <summary>Everything measured, and its rendering as a markdown section.</summary>
/// <remarks>Program.cs sets the invariant culture, so plain interpolation formats numbers as 1,234.5.</remarks>
public sealed class BenchmarkResult(BenchmarkOptions options)
{
    private const double UpdatesGoal = 20_000;
    private const double P99GoalMs = 50;
    private const long MemoryGoalBytes = 2L << 30;
    private const long MemoryGoalEndpoints = 1_000_000;

    public BenchmarkOptions Options { get; } = options;
    public TimeSpan SiloStart { get; set; }
    public TimeSpan SiloStop { get; set; }
    public MemorySnapshot? MemoryBaseline { get; set; }
    public MemorySnapshot? MemoryAfterLoad { get; set; }
    public MemorySnapshot? MemoryAtEnd { get; set; }
    public PhaseCost? Load { get; set; }
    public PhaseCost? Throughput { get; set; }
    public LatencySummary? UpdateCallLatency { get; set; }
    public long NextBatchIndex { get; set; }
    public TimeSpan CoalescingWindow { get; set; }
    public long WarmupUpdates { get; set; }
    public TimeSpan McsReady { get; set; }
    public LatencyResult? IdleLatency { get; set; }
    public LatencyResult? LoadedLatency { get; set; }
    public int EnsureCalls { get; set; }
    public List<StoragePhase> StoragePhases { get; } = [];
    public long[] StorageWritesPerSecond { get; set; } = [];
    public (long RssBytes, long PeakRssBytes, TimeSpan Cpu)? Azurite { get; set; }
    public List<string> Problems { get; } = [];

    private string StorageName => Options.Storage == BenchmarkStorage.Azurite
        ? "Azure Storage in Azurite (blob grain storage, table reminders)"
        : "memory grain storage and reminders";

    public double UpdatesPerSecond => Throughput is null ? 0 : Options.Updates / Throughput.Wall.TotalSeconds;

    public string ToMarkdown()
    {
        var o = Options;
        var sb = new StringBuilder();
        sb.AppendLine($"### FleetL4 hub benchmark through the hub API, {o.Clusters:N0} x {o.Services:N0} x {o.Endpoints:N0}, "
            + $"coalescing window {CoalescingWindow.TotalMilliseconds:0} ms, {(o.Storage == BenchmarkStorage.Azurite ? "Azurite" : "memory")} storage ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        sb.AppendLine();
        sb.AppendLine($"- Machine: {Environment.ProcessorCount} logical cores{CpuModel()}, {RuntimeInformation.OSDescription}, "
            + $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "Server" : "Workstation")} GC, Orleans 10.4.2");
        sb.AppendLine($"- Command: `dotnet tests/FleetL4.Benchmarks/bin/Release/net10.0/FleetL4.Benchmarks.dll{(o.Args.Count == 0 ? "" : " " + string.Join(' ', o.Args))}`");
        sb.AppendLine($"- Scale: {o.Clusters:N0} clusters x {o.Services:N0} services x {o.Endpoints:N0} endpoints = {o.TotalEndpoints:N0} endpoints "
            + $"in {o.Exports:N0} exports; {o.Updates:N0} measured updates (after {o.WarmupDuration.TotalSeconds:0} s of warm-up updates) in member syncs of "
            + $"{o.Batch} updates, {o.CallsInFlight} calls in flight; {o.LatencySamples:N0} latency samples per run at {o.SampleRate:0}/s round robin over "
            + $"{o.McsServices:N0} MCSes (on {Workload.McsCluster}, {o.Clusters * o.Endpoints:N0} backends each; each MCS gets a sample every "
            + $"{o.McsServices / o.SampleRate:0.00} s), each sample a member sync of one export.");
        sb.AppendLine("- Path: one simulated agent per cluster (its own `FleetClient`, HTTP/2 over 127.0.0.1) sends every report, MCS apply and "
            + "heartbeat through the hub API (`FleetClient.MemberHub(cluster).SyncAsync`: at most 250 objects per call, 4 calls in flight), as "
            + "`fleetl4 agent` does. The hub (localhost clustering, " + StorageName + ", the hub API on its own Kestrel "
            + "endpoint) runs in the same process so that the provider's calls can be timed: process memory is the hub's plus the "
            + "driver's (which keeps no endpoint lists) and its gRPC clients'.");
        sb.AppendLine($"- Settings: every FleetL4 option at its shipped default{(o.CoalescingWindow is null ? $" (coalescing window {CoalescingWindow.TotalMilliseconds:0} ms" : $", except **FleetL4:CoalescingWindow = {CoalescingWindow.TotalMilliseconds:0} ms** (set for comparison")}, "
            + "endpoint write-behind 30 s, heartbeat 10 s with 3 missed allowed: the simulated agents heartbeat every 10 s), "
            + "except **FleetL4:Provider = InMemory** (records desired state; the shipped Local provider would open a listener per MCS); "
            + "no Orleans dashboard (src/Silo runs one by default).");
        sb.AppendLine();
        sb.AppendLine("| Metric | Result | Goal | Met |");
        sb.AppendLine("|---|---|---|---|");
        sb.AppendLine($"| Export updates ingested (each replaces one endpoint) | {(Throughput is null ? "-" : $"{UpdatesPerSecond:N0} /s")} | >= 20,000 /s | {Met(Throughput is null ? null : UpdatesPerSecond >= UpdatesGoal)} |");
        AppendLatencyRow(sb, "Member sync -> provider sees the new backend, idle hub: p50 / p99 / max", IdleLatency);
        if (o.LoadedLatency)
            AppendLatencyRow(sb, (LoadedLatency?.BackgroundUpdatesPerSecond is { } bg
                ? $"Same, under a background load of {bg:N0} updates/s"
                : "Same, under a background update load")
                + (o.BackgroundRate > 0 ? $" (target {o.BackgroundRate:N0}/s)" : $" (unthrottled, {o.CallsInFlight} calls in flight)")
                + ": p50 / p99 / max", LoadedLatency);
        AppendMemoryRow(sb, $"Process memory after load ({o.TotalEndpoints:N0} endpoints): working set after a full GC (after an aggressive GC; live managed)", MemoryAfterLoad);
        AppendMemoryRow(sb, "Process memory at the end (after updates and MCSes): same measures", MemoryAtEnd);
        AppendStorageRow(sb);
        if ((MemoryAtEnd ?? MemoryAfterLoad) is { } last)
            sb.AppendLine($"| Peak working set of the whole run | {FleetBenchmark.Mib(last.PeakWorkingSetBytes)} | <= 2 GiB at 1M endpoints | "
                + $"{(o.TotalEndpoints >= MemoryGoalEndpoints ? Met(last.PeakWorkingSetBytes <= MemoryGoalBytes) : "n/a below 1M endpoints")} |");
        sb.AppendLine();

        sb.AppendLine("| Detail | Value |");
        sb.AppendLine("|---|---|");
        sb.AppendLine($"| Hub start / stop | {SiloStart.TotalSeconds:0.0} s / {SiloStop.TotalSeconds:0.0} s |");
        if (Load is not null)
            sb.AppendLine($"| Initial load | {o.Exports:N0} exports ({o.LoadClustersAtOnce} clusters' first syncs at once) in {Load.Wall.TotalSeconds:0.00} s = {o.Exports / Load.Wall.TotalSeconds:N0} exports/s "
                + $"({o.TotalEndpoints / Load.Wall.TotalSeconds:N0} endpoints/s); {Cost(Load)} |");
        if (Throughput is not null && UpdateCallLatency is { } call)
            sb.AppendLine($"| Throughput phase | {o.Updates:N0} updates in {Throughput.Wall.TotalSeconds:0.00} s, after {WarmupUpdates:N0} warm-up updates; member sync call ({o.Batch} updates) p50 / p90 / p99 / max "
                + $"{call.P50:0.0} / {call.P90:0.0} / {call.P99:0.0} / {call.Max:0.0} ms; {Cost(Throughput)} |");
        if (McsReady > TimeSpan.Zero) sb.AppendLine($"| MCS creation | {o.McsServices:N0} MCSes with frontend IP and all backends after {McsReady.TotalSeconds:0.00} s |");
        AppendLatencyDetail(sb, "Latency run, idle", IdleLatency);
        AppendLatencyDetail(sb, "Latency run, under load", LoadedLatency);
        AppendMemoryDetail(sb, "Memory of the empty hub", MemoryBaseline);
        AppendMemoryDetail(sb, "Memory after load", MemoryAfterLoad);
        AppendMemoryDetail(sb, "Memory at the end", MemoryAtEnd);
        if (MemoryBaseline is { } b0 && MemoryAfterLoad is { } a)
            sb.AppendLine($"| Memory per endpoint after load, above the empty hub | managed {(a.ManagedBytes - b0.ManagedBytes) / (double)o.TotalEndpoints:N0} B, "
                + $"working set {(a.WorkingSetBytes - b0.WorkingSetBytes) / (double)o.TotalEndpoints:N0} B |");
        sb.AppendLine($"| Provider ensure calls | {EnsureCalls:N0} |");
        foreach (var phase in StoragePhases)
            sb.AppendLine($"| Grain storage, {phase.Name} | {phase.Activity.Describe()}"
                + (phase.WritesPerUpdate is { } perUpdate ? $"; {phase.Updates:N0} updates, {perUpdate:0.0000} writes per update" : "") + " |");
        if (StorageWritesPerSecond.Length > 0 && StorageWritesPerSecond.Max() is var peak and > 0)
            sb.AppendLine($"| Grain-storage writes per second | peak {peak:N0} (second {Array.IndexOf(StorageWritesPerSecond, peak)} after the hub started); "
                + $"writes in {StorageWritesPerSecond.Count(n => n > 0)} of {StorageWritesPerSecond.Length} seconds; busiest: "
                + string.Join(", ", StorageWritesPerSecond.Select((n, t) => (n, t)).Where(x => x.n > 0).OrderByDescending(x => x.n).Take(6).OrderBy(x => x.t).Select(x => $"s{x.t} {x.n:N0}")) + " |");
        if (Azurite is { } az)
            sb.AppendLine($"| Azurite (its own node process) | resident {FleetBenchmark.Mib(az.RssBytes)} at the end, peak {FleetBenchmark.Mib(az.PeakRssBytes)}; "
                + $"CPU {az.Cpu.TotalSeconds:N1} s over the run (counted in \"other processes\" above) |");
        sb.AppendLine($"| Problems | {(Problems.Count == 0 ? "none" : string.Join("; ", Problems))} |");
        return sb.ToString();
    }

    /// <summary>Steady state: the warm-up and the throughput phase together span at least one endpoint write-behind interval.</summary>
    private void AppendStorageRow(StringBuilder sb)
    {
        var steady = StoragePhases.Where(p => p.Name is "warm-up" or "throughput").ToList();
        if (steady.Count == 0) return;
        var updates = steady.Sum(p => p.Updates);
        var exports = steady.Sum(p => p.Activity.ByState.GetValueOrDefault("export").Writes);
        var writes = steady.Sum(p => p.Activity.Writes);
        sb.AppendLine($"| Grain-storage writes per export update, warm-up + throughput ({updates:N0} updates; endpoint write-behind 30 s) | "
            + $"{(updates == 0 ? "-" : $"{(double)writes / updates:0.0000}")} ({writes:N0} writes, {exports:N0} of them exports') | - | - |");
    }

    private static void AppendMemoryDetail(StringBuilder sb, string label, MemorySnapshot? m)
    {
        if (m is null) return;
        sb.AppendLine($"| {label} | after a forced compacting GC: working set {FleetBenchmark.Mib(m.WorkingSetBytes)}, private {FleetBenchmark.Mib(m.PrivateBytes)}, "
            + $"GC committed {FleetBenchmark.Mib(m.CommittedBytes)}, GC heap {FleetBenchmark.Mib(m.HeapSizeBytes)}, live managed {FleetBenchmark.Mib(m.ManagedBytes)}; "
            + $"after an aggressive GC: working set {FleetBenchmark.Mib(m.TrimmedWorkingSetBytes)}, GC committed {FleetBenchmark.Mib(m.TrimmedCommittedBytes)}; {m.Threads} threads |");
    }

    private void AppendLatencyRow(StringBuilder sb, string label, LatencyResult? run)
    {
        var p = run?.Propagation;
        var result = p is null ? "-" : $"{p.P50:0.0} / {p.P99:0.0} / {p.Max:0.0} ms";
        if (run is { Timeouts: > 0 }) result += $" ({run.Timeouts} timed out)";
        sb.AppendLine($"| {label} | {result} | p99 <= 50 ms | {Met(p is null ? null : p.P99 <= P99GoalMs && run!.Timeouts == 0)} |");
    }

    private void AppendMemoryRow(StringBuilder sb, string label, MemorySnapshot? m)
    {
        if (m is null)
        {
            sb.AppendLine($"| {label} | - | <= 2 GiB at 1M endpoints | - |");
            return;
        }
        var met = Options.TotalEndpoints >= MemoryGoalEndpoints ? Met(m.WorkingSetBytes <= MemoryGoalBytes) : "n/a below 1M endpoints";
        sb.AppendLine($"| {label} | {FleetBenchmark.Mib(m.WorkingSetBytes)} ({FleetBenchmark.Mib(m.TrimmedWorkingSetBytes)}; {FleetBenchmark.Mib(m.ManagedBytes)}) "
            + $"| <= 2 GiB at 1M endpoints | {met} |");
    }

    private void AppendLatencyDetail(StringBuilder sb, string label, LatencyResult? run)
    {
        if (run is null) return;
        var line = new StringBuilder();
        if (run.Propagation is { } p)
            line.Append($"{p.Count:N0} samples, propagation p50 / p90 / p99 / max / mean {p.P50:0.00} / {p.P90:0.00} / {p.P99:0.00} / {p.Max:0.00} / {p.Mean:0.00} ms");
        if (run.Ack is { } a)
            line.Append($"; the member sync call itself returned after p50 {a.P50:0.00} ms, p99 {a.P99:0.00} ms");
        line.Append($"; {run.Timeouts} timeouts; {run.Duration.TotalSeconds:0.0} s");
        if (run.BackgroundUpdatesPerSecond is { } bg)
            line.Append($"; background {bg:N0} updates/s over all exports ({(double)Options.McsServices / Options.Services:P0} of them feed an MCS, so reach the provider)");
        if (run.BackgroundCost is { } cost) line.Append("; ").Append(Cost(cost));
        sb.AppendLine($"| {label} | {line} |");
    }

    private static string Cost(PhaseCost c) =>
        $"CPU {c.CoresBusy:0.00} cores busy{(c.OtherCoresBusy is { } other ? $" (other processes: {other:0.00} cores)" : "")}, "
        + $"GC pauses {c.GcPause.TotalMilliseconds:N0} ms ({c.Gen0} gen0, {c.Gen1} gen1, {c.Gen2} gen2)";

    private static string Met(bool? met) => met switch { null => "-", true => "yes", false => "**no**" };

    internal static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "" : " (" + line[(line.IndexOf(':') + 1)..].Trim() + ")";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
