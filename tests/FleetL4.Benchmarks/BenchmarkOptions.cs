namespace FleetL4.Benchmarks;

/// <summary>The benchmark's parameters (see Program.cs for their flags and defaults).</summary>
/// <param name="WarmupDuration">Unmeasured updates before the throughput phase run this long.</param>
/// <param name="Concurrency">Member sync calls in flight; 0 = one per cluster (an agent has one sync in flight).</param>
/// <param name="LoadClusters">Clusters whose first sync runs at once in the load phase; 0 = all.</param>
/// <param name="Batch">Export updates per member sync call in the throughput phase and the background load.</param>
/// <param name="SampleRate">Latency samples started per second (round robin over the MCSes).</param>
/// <param name="LoadedLatency">Also measure latency while a background update load runs.</param>
/// <param name="BackgroundRate">Background updates/s during the loaded latency run; 0 = as fast as the calls in flight allow.</param>
/// <param name="CoalescingWindow">FleetL4:CoalescingWindow for this run; null = the shipped default.</param>
/// <param name="Storage">Where the hub keeps grain state and reminders.</param>
/// <param name="Args">The raw command-line arguments, for the report.</param>
public sealed record BenchmarkOptions(
    int Clusters,
    int Services,
    int Endpoints,
    int Updates,
    TimeSpan WarmupDuration,
    int Concurrency,
    int LoadClusters,
    int Batch,
    int LatencySamples,
    double SampleRate,
    int McsServices,
    bool LoadedLatency,
    double BackgroundRate,
    TimeSpan SampleTimeout,
    int Seed,
    TimeSpan? CoalescingWindow,
    BenchmarkStorage Storage,
    string? OutputPath,
    IReadOnlyList<string> Args)
{
    public int Exports => Clusters * Services;

    public long TotalEndpoints => (long)Clusters * Services * Endpoints;

    public int CallsInFlight => Concurrency == 0 ? Clusters : Concurrency;

    public int LoadClustersAtOnce => LoadClusters == 0 ? Clusters : LoadClusters;
}
