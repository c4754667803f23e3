using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using FleetL4.Client;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Benchmarks.Placement;

/// <summary>
/// ClusterResourcePlacement at fleet scale, through the hub API: N virtual members (half in eastus), the seed's
/// kuard namespace on the hub and its placement (crp-2.yaml). Measures, from the call that made the change to the
/// placement's status reading Applied for it: the first placement on N/2 clusters; a westus cluster relabelled to
/// eastus (kuard placed there) and back (removed); a selected hub object changed (a new revision applied
/// everywhere); then what the settled fleet costs while nothing changes (storage writes, CPU).
/// </summary>
public static class PlacementBench
{
    private const string Ns = "kuard-demo";

    public static async Task<int> RunAsync(int clusters, int rounds, int idleSeconds, string? output, IReadOnlyList<string> args, CancellationToken ct)
    {
        await using var hub = await InProcessHub.StartAsync(null, null, ct);
        using var fleet = new FleetClient(new HubConnectionOptions { Hubs = [hub.Url] });
        var names = Enumerable.Range(0, clusters).Select(i => $"member-{i:D4}").ToArray();

        var join = Stopwatch.StartNew();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (name, c) =>
            await fleet.JoinClusterAsync(name, Location(Index(name) % 2 == 0 ? "eastus" : "westus"), isVirtual: true, ct: c));
        join.Stop();
        var eastus = names.Where(n => Index(n) % 2 == 0).ToArray();

        await fleet.ApplyManifestsAsync(null, Read(Workload(8080)), ct);
        var first = Stopwatch.StartNew();
        await fleet.ApplyManifestsAsync(null, Read(SeedPlacement), ct);
        var placed = await Until(fleet, p => Applied(p) && p.Clusters.Count == eastus.Length, ct);
        first.Stop();
        Console.WriteLine($"placed on {placed.Clusters.Count} clusters in {first.Elapsed.TotalMilliseconds:N0} ms");

        var relabelIn = new List<double>();
        var relabelOut = new List<double>();
        var revisions = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var moved = names[1 + 2 * (round % (clusters / 2))];
            var watch = Stopwatch.StartNew();
            await fleet.LabelClusterAsync(moved, Location("eastus"), [], ct);
            await Until(fleet, p => Applied(p) && p.Clusters.Any(c => c.Cluster == moved), ct);
            relabelIn.Add(watch.Elapsed.TotalMilliseconds);

            watch.Restart();
            await fleet.LabelClusterAsync(moved, Location("westus"), [], ct);
            await Until(fleet, p => Applied(p) && p.Clusters.All(c => c.Cluster != moved), ct);
            // Removed from the member itself, not only from the placement's status.
            while ((await fleet.ListManifestsAsync(moved, ct)).Count > 0) await Task.Delay(2, ct);
            relabelOut.Add(watch.Elapsed.TotalMilliseconds);

            var revision = (await fleet.GetPlacementAsync("kuard-demo", ct)).Revision;
            watch.Restart();
            await fleet.ApplyManifestsAsync(null, Read(Workload(9000 + round)), ct);
            await Until(fleet, p => p.Revision > revision && Applied(p), ct);
            revisions.Add(watch.Elapsed.TotalMilliseconds);
        }

        // The settled fleet: nothing changes, nothing should be written or computed.
        var writesBefore = hub.Storage.Snapshot();
        var cost = PhaseCost.Start();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds), ct);
        var idle = cost();
        var idleWrites = hub.Storage.Snapshot().Since(writesBefore);

        var report = Report(clusters, eastus.Length, join.Elapsed, first.Elapsed, relabelIn, relabelOut, revisions, idleSeconds, idle,
            idleWrites.ByState.Values.Sum(s => s.Writes), args);
        Console.WriteLine(report);
        if (output is not null) await File.AppendAllTextAsync(output, report + "\n", ct);
        return 0;
    }

    private static bool Applied(PlacementView p) =>
        p.Conditions.Any(c => c.Type == PlacementApi.Applied && c.Status == "True" && c.ObservedGeneration == p.Generation);

    /// <summary>Polls the placement every 2 ms (the poll is part of what is measured: one hub API call each).</summary>
    private static async Task<PlacementView> Until(FleetClient fleet, Func<PlacementView, bool> done, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var view = await fleet.GetPlacementAsync("kuard-demo", ct);
            if (done(view)) return view;
            if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("the placement did not get there in 2 minutes");
            await Task.Delay(2, ct);
        }
    }

    private static int Index(string name) => int.Parse(name[7..], System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Location(string location) => new() { ["fleet.azure.com/location"] = location };

    private static IReadOnlyList<ManifestObject> Read(string yaml) => ManifestReader.Read(yaml, "bench.yaml");

    private static string Workload(int port) => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: { name: {{Ns}} }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: kuard, namespace: {{Ns}} }
        spec:
          replicas: 2
          selector: { matchLabels: { app: kuard } }
          template:
            metadata: { labels: { app: kuard } }
            spec: { containers: [{ name: kuard, image: "gcr.io/kuar-demo/kuard-amd64:blue" }] }
        ---
        apiVersion: v1
        kind: Service
        metadata: { name: kuard, namespace: {{Ns}} }
        spec:
          selector: { app: kuard }
          ports: [{ port: {{port}}, targetPort: 8080 }]
        ---
        apiVersion: networking.fleet.azure.com/v1alpha1
        kind: ServiceExport
        metadata: { name: kuard, namespace: {{Ns}} }
        """;

    private const string SeedPlacement = """
        apiVersion: placement.kubernetes-fleet.io/v1
        kind: ClusterResourcePlacement
        metadata: { name: kuard-demo }
        spec:
          resourceSelectors: [{ group: "", version: v1, kind: Namespace, name: kuard-demo }]
          policy:
            affinity:
              clusterAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  clusterSelectorTerms: [{ labelSelector: { matchLabels: { fleet.azure.com/location: eastus } } }]
        """;

    private static string Report(int clusters, int chosen, TimeSpan join, TimeSpan first, List<double> relabelIn, List<double> relabelOut,
        List<double> revisions, int idleSeconds, PhaseCost idle, long idleWrites, IReadOnlyList<string> args)
    {
        static string Row(string what, List<double> ms)
        {
            var s = LatencySummary.Of(ms)!;
            return $"| {what} | {s.Count} | {s.P50:N1} | {s.P90:N1} | {s.Max:N1} |";
        }
        var sb = new StringBuilder();
        sb.AppendLine($"### ClusterResourcePlacement on {clusters:N0} virtual members ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        sb.AppendLine();
        sb.AppendLine($"- Machine: {Environment.ProcessorCount} logical cores{BenchmarkResult.CpuModel()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, Orleans 10.4.2");
        sb.AppendLine($"- Command: `dotnet tests/FleetL4.Benchmarks/bin/Release/net10.0/FleetL4.Benchmarks.dll {string.Join(' ', args)}`");
        sb.AppendLine($"- {clusters:N0} clusters joined in {join.TotalSeconds:N1} s; the seed's namespace (Namespace, Deployment, Service, ServiceExport) "
            + $"placed on the {chosen:N0} eastus ones in **{first.TotalMilliseconds:N0} ms** (apply of crp-2.yaml to Applied True, each member's "
            + "placed ServiceExport exporting).");
        sb.AppendLine();
        sb.AppendLine("| change (through the hub API) | rounds | p50 ms | p90 ms | max ms |");
        sb.AppendLine("|---|---|---|---|---|");
        sb.AppendLine(Row("`cluster label` westus -> eastus: kuard placed there, Applied", relabelIn));
        sb.AppendLine(Row("`cluster label` eastus -> westus: kuard removed from the member", relabelOut));
        sb.AppendLine(Row($"a selected Service changed on the hub: new revision Applied on all {chosen:N0}", revisions));
        sb.AppendLine();
        sb.AppendLine($"- Idle, {idleSeconds} s after the last change: {idleWrites} storage writes, {idle.CoresBusy * 100:N2} % of a core "
            + "(the hub's own timers: Orleans membership and the dashboard are not in this process).");
        return sb.ToString();
    }
}
