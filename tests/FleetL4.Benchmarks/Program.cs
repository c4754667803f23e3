using System.CommandLine;
using System.Globalization;
using FleetL4.Benchmarks;

// FleetL4 control-plane benchmark: a hub in this process (shipped defaults, the in-memory load balancer provider,
// memory or Azurite grain storage), driven through its hub API as agents do; see FleetBenchmark for the phases.
// Subcommand apply-to-route: hub processes with the local data plane, `fleetl4 apply` to the first routed
// connection (ApplyToRoute).

// Reports and logs format numbers the same on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var clusters = PositiveInt("--clusters", 100, "Member clusters to join (one simulated agent each: its own FleetClient and connection).");
var services = PositiveInt("--services", 1000, "Services each cluster exports (namespace \"bench\", svc-0000...).");
var endpoints = PositiveInt("--endpoints", 10, "Ready endpoints per export.");
var updates = PositiveInt("--updates", 200_000, "Export updates in the measured throughput phase.");
var warmup = NonNegativeInt("--warmup-seconds", 35,
    "Unmeasured export updates for this long before the throughput phase (JIT tiering; longer than the 30 s endpoint write-behind, whose first round, every export at once, then falls in the warm-up: a short throughput phase may see no storage writes; the report gives warm-up + throughput).");
var concurrency = NonNegativeInt("--concurrency", 0, "Member sync calls in flight in the load, throughput and background phases; 0 = one per cluster, as agents.");
var loadClusters = NonNegativeInt("--load-clusters", 0, "Clusters whose first sync (all their exports, in calls of 250, 4 in flight) runs at once in the load phase; 0 = all of them.");
var batch = PositiveInt("--batch", 10, "Export updates per member sync call in the throughput phase and the background load (an agent sends what changed since its last call).");
var latencySamples = PositiveInt("--latency-samples", 2000, "Propagation latency samples (each run: idle and under load).");
var sampleRate = PositiveInt("--sample-rate", 100, "Latency samples started per second, round robin over the MCSes (each MCS gets one every mcs-services / rate seconds).");
var mcsServices = PositiveInt("--mcs-services", 100, "Services that get a MultiClusterService (on cluster-0) for the latency phase.");
var noLoadedLatency = new Option<bool>("--no-loaded-latency")
{
    Description = "Skip the second latency run that measures while a background update load is running.",
};
var backgroundRate = NonNegativeInt("--background-rate", 10_000,
    "Background export updates/s during the loaded latency run (0 = unthrottled: as fast as the calls in flight allow).");
var sampleTimeout = PositiveInt("--sample-timeout-ms", 10_000, "Give up on one latency sample after this long (counted as a timeout).");
var seed = NonNegativeInt("--seed", 42, "Seed of the random choices (which cluster's export each latency sample updates).");
var window = new Option<TimeSpan?>("--coalescing-window")
{
    Description = "FleetL4:CoalescingWindow for this run (e.g. 00:00:00 for the comparison); default: the shipped default.",
};
var storage = new Option<BenchmarkStorage>("--storage")
{
    Description = "Grain state and reminders of the hub: Memory (the embedded hub's) or Azurite (Hub:Storage=AzureStorage against an Azurite "
        + "this run starts from tests/azurite; npm ci --prefix tests/azurite installs it).",
    DefaultValueFactory = _ => BenchmarkStorage.Memory,
};
var output = new Option<FileInfo?>("--out")
{
    Description = "Append the markdown result to this file.",
};

var root = new RootCommand(
    "FleetL4 benchmark: a hub (shipped defaults, in-memory load balancer provider) in this process, driven through its hub API "
    + "over loopback as agents do. Measures initial load, export updates/s, member-sync-to-provider latency and hub memory.")
{
    clusters, services, endpoints, updates, warmup, concurrency, loadClusters, batch, latencySamples, sampleRate, mcsServices, noLoadedLatency,
    backgroundRate, sampleTimeout, seed, window, storage, output,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var options = new BenchmarkOptions(
        parse.GetValue(clusters), parse.GetValue(services), parse.GetValue(endpoints), parse.GetValue(updates),
        TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(concurrency), parse.GetValue(loadClusters), parse.GetValue(batch),
        parse.GetValue(latencySamples), parse.GetValue(sampleRate), parse.GetValue(mcsServices),
        !parse.GetValue(noLoadedLatency), parse.GetValue(backgroundRate),
        TimeSpan.FromMilliseconds(parse.GetValue(sampleTimeout)), parse.GetValue(seed), parse.GetValue(window),
        parse.GetValue(storage), parse.GetValue(output)?.FullName, args);
    var errors = Check(options).ToList();
    foreach (var error in errors) Console.Error.WriteLine(error);
    return errors.Count > 0 ? 2 : await FleetBenchmark.RunAsync(options, cancellationToken);
});
root.Subcommands.Add(FleetL4.Benchmarks.ApplyToRoute.ApplyToRouteCommand.Create());
root.Subcommands.Add(FleetL4.Benchmarks.Placement.PlacementBenchCommand.Create());

return await root.Parse(args).InvokeAsync();

// Checks across options (defaults included, which option validators do not see).
static IEnumerable<string> Check(BenchmarkOptions o)
{
    if (o.Batch > o.Services) yield return $"--batch ({o.Batch}) cannot exceed --services ({o.Services}): one sync names each export once";
    if (o.Updates % o.Batch != 0) yield return $"--updates ({o.Updates}) must be a multiple of --batch ({o.Batch})";
    if (o.McsServices > o.Services) yield return $"--mcs-services ({o.McsServices}) cannot exceed --services ({o.Services})";
    if (o.Services > 10_000) yield return "--services is at most 10000 (service names are svc-0000..svc-9999)";
    if (o.Endpoints > 4_000) yield return "--endpoints is at most 4000 (exports hold at most 5000 and the latency phase adds some)";
    if (o.TotalEndpoints > 100_000_000) yield return $"{o.TotalEndpoints:N0} endpoints is more than this benchmark's address plan allows (100,000,000)";
}

static Option<int> PositiveInt(string name, int defaultValue, string description)
{
    var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
    option.Validators.Add(r =>
    {
        if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} must be at least 1");
    });
    return option;
}

static Option<int> NonNegativeInt(string name, int defaultValue, string description)
{
    var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
    option.Validators.Add(r =>
    {
        var v = r.GetValueOrDefault<int>();
        if (v < 0) r.AddError($"{name} must be 0 or more");
    });
    return option;
}
