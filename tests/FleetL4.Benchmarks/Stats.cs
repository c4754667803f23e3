using System.Diagnostics;
using System.Runtime;

namespace FleetL4.Benchmarks;

/// <summary>Percentiles (nearest rank) of durations in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static LatencySummary? Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0) return null;
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    public static double TicksToMs(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;

    private static double Rank(double[] sorted, double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

/// <summary>
/// Memory of this process (the silo runs in it) after a forced, blocking, compacting full GC; then, after an
/// aggressive GC that also gives the GC's free memory back to the OS, the working set again (what the live state
/// needs, as opposed to what the server GC keeps committed for its next allocations).
/// </summary>
public sealed record MemorySnapshot(
    long ManagedBytes,
    long HeapSizeBytes,
    long CommittedBytes,
    long WorkingSetBytes,
    long PrivateBytes,
    long PeakWorkingSetBytes,
    long TrimmedWorkingSetBytes,
    long TrimmedCommittedBytes,
    int Threads)
{
    public static MemorySnapshot Take()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var (workingSet, privateBytes, peak) = (process.WorkingSet64, process.PrivateMemorySize64, process.PeakWorkingSet64);

        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        process.Refresh();
        var trimmed = GC.GetGCMemoryInfo(GCKind.Any);
        return new MemorySnapshot(managed, info.HeapSizeBytes, info.TotalCommittedBytes, workingSet, privateBytes, peak,
            process.WorkingSet64, trimmed.TotalCommittedBytes, process.Threads.Count);
    }
}

/// <summary>
/// CPU time and GC activity of this process over one phase, and how busy the rest of the machine was (from
/// /proc/stat on Linux): other processes on a 2-core machine skew every number here.
/// </summary>
public sealed record PhaseCost(TimeSpan Wall, TimeSpan Cpu, TimeSpan GcPause, int Gen0, int Gen1, int Gen2, TimeSpan? MachineBusy)
{
    public double CoresBusy => Wall > TimeSpan.Zero ? Cpu / Wall : 0;

    /// <summary>Cores' worth of CPU used by other processes (and the kernel for them) meanwhile; null off Linux.</summary>
    public double? OtherCoresBusy => MachineBusy is { } busy && Wall > TimeSpan.Zero ? Math.Max(0, (busy - Cpu) / Wall) : null;

    public static Func<PhaseCost> Start()
    {
        var wall = Stopwatch.StartNew();
        var cpu = CpuTime();
        var machine = MachineBusyTime();
        var pause = GC.GetTotalPauseDuration();
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return () =>
        {
            var machineNow = MachineBusyTime();
            return new PhaseCost(wall.Elapsed, CpuTime() - cpu, GC.GetTotalPauseDuration() - pause,
                GC.CollectionCount(0) - g0, GC.CollectionCount(1) - g1, GC.CollectionCount(2) - g2,
                machine is { } m0 && machineNow is { } m1 ? m1 - m0 : null);
        };
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Busy time of all CPUs (user, nice, system, irq, softirq, steal) from /proc/stat, in USER_HZ = 100/s.</summary>
    private static TimeSpan? MachineBusyTime()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null) return null;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            if (f.Length < 8) return null;
            var busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
            return TimeSpan.FromMilliseconds(busy * 10);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
