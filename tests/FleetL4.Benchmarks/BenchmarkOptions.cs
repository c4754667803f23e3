namespace FleetL4.Benchmarks;

/// <summary>The benchmark's parameters (see Program.cs for their flags and defaults).</summary>
/// <param name="WarmupDuration">Unmeasured updates before the throughput phase run this long.</param>
/// <param name="LoadedLatency">Also measure latency while a background update load runs.</param>
/// <param name="BackgroundRate">Background updates/s during the loaded latency run; 0 = as fast as Concurrency allows.</param>
/// <param name="LoadedDuration">The loaded latency run's samples are spread over at least this long.</param>
/// <param name="Args">The raw command-line arguments, for the report.</param>
public sealed record BenchmarkOptions(
    int Clusters,
    int Services,
    int Endpoints,
    int Updates,
    TimeSpan WarmupDuration,
    int Concurrency,
    int LatencySamples,
    int McsServices,
    bool LoadedLatency,
    double BackgroundRate,
    TimeSpan LoadedDuration,
    TimeSpan SampleTimeout,
    int Seed,
    string? OutputPath,
    IReadOnlyList<string> Args)
{
    public int Exports => Clusters * Services;

    public long TotalEndpoints => (long)Clusters * Services * Endpoints;
}
