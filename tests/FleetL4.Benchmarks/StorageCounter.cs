using System.Collections.Concurrent;
using System.Diagnostics;

namespace FleetL4.Benchmarks;

/// <summary>
/// Grain-storage calls of the hub, counted by <see cref="CountingGrainStorage"/>: writes per state name and grain (so
/// that a phase shows how many grains wrote and how often each did), reads and clears, and the time spent writing.
/// </summary>
public sealed class StorageCounter
{
    private const int Seconds = 3 * 3600;
    private readonly ConcurrentDictionary<(string State, GrainId Grain), int> _writes = new();
    // Writes in each second since the hub started: the endpoint write-behind's bursts show here.
    private readonly long[] _perSecond = new long[Seconds];
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _reads;
    private long _clears;
    private long _writeTicks;

    public void Read() => Interlocked.Increment(ref _reads);

    public void Cleared() => Interlocked.Increment(ref _clears);

    public void Wrote(string state, GrainId grain, long stopwatchTicks)
    {
        _writes.AddOrUpdate((state, grain), 1, (_, n) => n + 1);
        Interlocked.Add(ref _writeTicks, stopwatchTicks);
        var second = (long)Stopwatch.GetElapsedTime(_start).TotalSeconds;
        if (second < Seconds) Interlocked.Increment(ref _perSecond[second]);
    }

    /// <summary>Writes in each second since the hub started, up to now (a long's read is atomic on 64 bits).</summary>
    public long[] PerSecond() => _perSecond.AsSpan(0, (int)Math.Min(Seconds, Stopwatch.GetElapsedTime(_start).TotalSeconds + 1)).ToArray();

    public StorageSnapshot Snapshot() =>
        new(new Dictionary<(string, GrainId), int>(_writes), Interlocked.Read(ref _reads), Interlocked.Read(ref _clears), Interlocked.Read(ref _writeTicks));
}

/// <summary>The counts at one instant; <see cref="Since"/> gives a phase's share.</summary>
public sealed record StorageSnapshot(IReadOnlyDictionary<(string State, GrainId Grain), int> Writes, long Reads, long Clears, long WriteTicks)
{
    public static readonly StorageSnapshot Empty = new(new Dictionary<(string, GrainId), int>(), 0, 0, 0);

    public StorageActivity Since(StorageSnapshot earlier)
    {
        var byState = new Dictionary<string, (long Writes, int Grains, int MaxPerGrain)>();
        foreach (var (key, n) in Writes)
        {
            var delta = n - earlier.Writes.GetValueOrDefault(key);
            if (delta == 0) continue;
            var (writes, grains, max) = byState.GetValueOrDefault(key.State);
            byState[key.State] = (writes + delta, grains + 1, Math.Max(max, delta));
        }
        return new StorageActivity(byState, Reads - earlier.Reads, Clears - earlier.Clears, LatencySummary.TicksToMs(WriteTicks - earlier.WriteTicks));
    }
}

/// <summary>One phase's storage calls: per state name the writes, the grains that wrote and the most one grain wrote.</summary>
public sealed record StorageActivity(IReadOnlyDictionary<string, (long Writes, int Grains, int MaxPerGrain)> ByState, long Reads, long Clears, double WriteMs)
{
    public long Writes => ByState.Values.Sum(s => s.Writes);

    public double MeanWriteMs => Writes == 0 ? 0 : WriteMs / Writes;

    public string Describe() =>
        (Writes == 0 ? "no writes" : $"{Writes:N0} writes ({string.Join("; ", ByState.OrderByDescending(s => s.Value.Writes)
            .Select(s => $"{s.Key} {s.Value.Writes:N0} by {s.Value.Grains:N0} grains, at most {s.Value.MaxPerGrain} each"))}), mean write {MeanWriteMs:0.00} ms")
        + $"; {Reads:N0} reads, {Clears:N0} clears";

}

/// <summary>A phase of the benchmark, the export updates sent in it and its storage calls.</summary>
public sealed record StoragePhase(string Name, long Updates, StorageActivity Activity)
{
    public double? WritesPerUpdate => Updates == 0 ? null : (double)Activity.Writes / Updates;
}
