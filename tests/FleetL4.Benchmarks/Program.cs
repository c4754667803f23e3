using System.CommandLine;
using System.Globalization;
using FleetL4.Benchmarks;

// FleetL4 hub benchmark: an in-process silo with the in-memory load balancer provider, driven only through
// FleetGrains. See FleetBenchmark for the phases; run with --help for the flags.

// Reports and logs format numbers the same on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var clusters = PositiveInt("--clusters", 100, "Member clusters to join.");
var services = PositiveInt("--services", 1000, "Services each cluster exports (namespace \"bench\", svc-0000...).");
var endpoints = PositiveInt("--endpoints", 10, "Ready endpoints per export.");
var updates = PositiveInt("--updates", 200_000, "Export updates in the measured throughput phase.");
var warmup = NonNegativeInt("--warmup-seconds", 12,
    "Unmeasured export updates for this long before the throughput phase (JIT tiering; at least twice the 5 s endpoint write-behind, so its storage writes are in the measurement).");
var concurrency = PositiveInt("--concurrency", 256, "Calls in flight during load and throughput phases.");
var latencySamples = PositiveInt("--latency-samples", 2000, "Propagation latency samples (each run: idle and under load).");
var mcsServices = PositiveInt("--mcs-services", 100, "Services that get a MultiClusterService (on cluster-0) for the latency phase.");
var noLoadedLatency = new Option<bool>("--no-loaded-latency")
{
    Description = "Skip the second latency run that measures while a background update load is running.",
};
var backgroundRate = NonNegativeInt("--background-rate", 10_000,
    "Background export updates/s during the loaded latency run (0 = unthrottled: as fast as --concurrency calls in flight allow).");
var loadedSeconds = PositiveInt("--loaded-seconds", 10, "Spread the loaded latency run's samples over at least this many seconds.");
var sampleTimeout = PositiveInt("--sample-timeout-ms", 10_000, "Give up on one latency sample after this long (counted as a timeout).");
var seed = NonNegativeInt("--seed", 42, "Seed of the random choices (which export each latency sample updates).");
var output = new Option<FileInfo?>("--out")
{
    Description = "Append the markdown result to this file.",
};

var root = new RootCommand(
    "FleetL4 benchmark: in-process hub silo with the in-memory load balancer provider. Measures initial load, "
    + "export updates/s, export-update-to-provider latency (coalescing window 0) and silo memory.")
{
    clusters, services, endpoints, updates, warmup, concurrency, latencySamples, mcsServices, noLoadedLatency,
    backgroundRate, loadedSeconds, sampleTimeout, seed, output,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var options = new BenchmarkOptions(
        parse.GetValue(clusters), parse.GetValue(services), parse.GetValue(endpoints), parse.GetValue(updates),
        TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(concurrency), parse.GetValue(latencySamples), parse.GetValue(mcsServices),
        !parse.GetValue(noLoadedLatency), parse.GetValue(backgroundRate), TimeSpan.FromSeconds(parse.GetValue(loadedSeconds)),
        TimeSpan.FromMilliseconds(parse.GetValue(sampleTimeout)), parse.GetValue(seed),
        parse.GetValue(output)?.FullName, args);
    var errors = Check(options).ToList();
    foreach (var error in errors) Console.Error.WriteLine(error);
    return errors.Count > 0 ? 2 : await FleetBenchmark.RunAsync(options, cancellationToken);
});

return await root.Parse(args).InvokeAsync();

// Checks across options (defaults included, which option validators do not see).
static IEnumerable<string> Check(BenchmarkOptions o)
{
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
