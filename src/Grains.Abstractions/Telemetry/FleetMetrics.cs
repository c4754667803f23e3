using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FleetL4.Telemetry;

/// <summary>
/// Every FleetL4 instrument, in meter "FleetL4" (README, "Observability", lists them with units). Grains record with
/// one call; nothing here is periodic: the up/down counters move when an object changes state, and the gauge reads
/// an in-memory table when it is scraped. Each silo reports what its own grains hold; sum over silos for the hub.
/// </summary>
public static class FleetMetrics
{
    public const string MeterName = "FleetL4";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>1 ms to 50 s: a local data plane answers in milliseconds, ARM in tens of seconds. (Before the
    /// histograms: static fields are initialized in order.)</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50],
    };

    /// <summary>From the hub receiving a change (an export, its endpoints, an MCS) to the provider call that includes
    /// it succeeding; one sample per call, for the oldest change it carries.</summary>
    public static readonly Histogram<double> Propagation = Meter.CreateHistogram("fleetl4.propagation.duration", "s",
        "time from the hub receiving a change to the load balancer provider taking it", tags: null, Seconds);

    public static readonly Counter<long> ProviderCalls = Meter.CreateCounter<long>("fleetl4.provider.calls", "{call}",
        "load balancer provider calls, by provider and operation");

    public static readonly Counter<long> ProviderFailures = Meter.CreateCounter<long>("fleetl4.provider.failures", "{call}",
        "load balancer provider calls that failed (each is retried with backoff)");

    public static readonly Counter<long> ProviderRetries = Meter.CreateCounter<long>("fleetl4.provider.retries", "{call}",
        "load balancer provider calls made because the one before for the same MCS failed");

    public static readonly Histogram<double> ProviderDuration = Meter.CreateHistogram("fleetl4.provider.duration", "s",
        "how long one load balancer provider call took", tags: null, Seconds);

    private static readonly UpDownCounter<long> Clusters = Meter.CreateUpDownCounter<long>("fleetl4.clusters", "{cluster}",
        "joined member clusters, by state (healthy, lease-expired)");

    private static readonly UpDownCounter<long> Backlog = Meter.CreateUpDownCounter<long>("fleetl4.reconcile.backlog", "{object}",
        "MCSes (kind mcs) and Azure load balancers (kind azure-lb) whose latest change is not applied yet");

    private static readonly ConcurrentDictionary<string, ImportSize> Imports = new(StringComparer.Ordinal);

    static FleetMetrics() =>
        Meter.CreateObservableGauge("fleetl4.import.endpoints", ImportEndpoints, "{endpoint}", "backends of each ServiceImport");

    /// <summary>A member cluster's place in <c>fleetl4.clusters</c>.</summary>
    public static StateTally ClusterState() => new(Clusters, "state");

    /// <summary>An MCS's or a load balancer's place in <c>fleetl4.reconcile.backlog</c> (tag kind: what waits).</summary>
    public static StateTally ReconcileBacklog() => new(Backlog, "kind");

    /// <summary>An import's row in <c>fleetl4.import.endpoints</c>, until it is disposed (the grain deactivated).</summary>
    public static ImportSize Import(string import) => Imports[import] = new ImportSize(import, Imports);

    private static IEnumerable<Measurement<long>> ImportEndpoints() =>
        Imports.Values.Select(i => new Measurement<long>(i.Endpoints, new KeyValuePair<string, object?>("import", i.Name)));
}
