using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FleetL4.FakeKube;

namespace FleetL4.AgentBench;

/// <summary>
/// What the fake member API server can serve on this machine, so that the agent's numbers can be told apart from the
/// fake's limits: GET-by-name of ServiceExports and merge-patches of their /status, each with C concurrent HttpClient
/// callers for S seconds after a 1 s warm-up, and a LIST of every ServiceExport. The callers run in the same process
/// as the server (and compete with it for the cores), so these are lower bounds.
/// </summary>
public static class FakeApiCapacity
{
    public sealed record Result(double GetPerSecond, double PatchPerSecond);

    public static async Task<(string Markdown, Result Result)> RunAsync(BenchOptions o, MachineInfo machine, CancellationToken ct)
    {
        var n = o.Exports;
        var report = new Report($"Agent bench: what the fake member API server serves ({n:N0} ServiceExports stored, {o.CapacityCallers} concurrent callers)");
        report.Row("Machine", machine.Describe());
        report.Note($"Same store contents as the one-member scenario. {o.CapacityCallers} callers share one HttpClient (HTTP/1.1, one connection each), "
            + $"each sends its next request when the last one is answered, for {o.CapacitySeconds} s after a 1 s warm-up; callers and server share this process's cores.");
        await using var api = new FakeKubernetesApiServer();
        Workload.Load(api.Store, n, o.Namespaces);
        await api.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.CapacityCallers, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(api.Url),
        };
        string PathOf(int i) => $"/apis/networking.fleet.azure.com/v1alpha1/namespaces/{Workload.Namespace(i, o.Namespaces)}/serviceexports/{Workload.Name(i)}";

        var get = await MeasureAsync(o, machine, ct, async (i, token) =>
        {
            using var response = await http.GetAsync(PathOf(i % n), token);
            await response.Content.ReadAsByteArrayAsync(token);
            return response.StatusCode;
        });
        report.Row("GET a ServiceExport by name", get.Describe());

        var flip = 0;
        var patch = await MeasureAsync(o, machine, ct, async (i, token) =>
        {
            // What the agent sends: the conditions, as a merge patch of /status (alternating, so every one is a change).
            var status = Interlocked.Increment(ref flip) % 2 == 0 ? "True" : "False";
            var body = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "Valid", ["status"] = status, ["reason"] = "ServiceIsValid", ["message"] = "bench",
                        ["observedGeneration"] = 1, ["lastTransitionTime"] = "2025-01-01T00:00:00Z",
                    }),
                },
            }.ToJsonString();
            using var content = new StringContent(body, Encoding.UTF8, "application/merge-patch+json");
            using var response = await http.PatchAsync(PathOf(i % n) + "/status", content, token);
            await response.Content.ReadAsByteArrayAsync(token);
            return response.StatusCode;
        });
        report.Row("PATCH a ServiceExport's /status (merge patch)", patch.Describe());

        // The agent's first LIST of each kind.
        var lists = new List<double>();
        long bytes = 0;
        for (var k = 0; k < 3; k++)
        {
            var sw = Stopwatch.StartNew();
            var body = await http.GetByteArrayAsync("/apis/networking.fleet.azure.com/v1alpha1/serviceexports", ct);
            lists.Add(sw.Elapsed.TotalMilliseconds);
            bytes = body.Length;
        }
        lists.Sort();
        report.Row($"LIST all {n:N0} ServiceExports (one caller, 3 times)", $"median {lists[1]:N0} ms, {Report.Mib(bytes)} of JSON");
        return (report.ToMarkdown(), new Result(get.PerSecond, patch.PerSecond));
    }

    private sealed record Run(long Requests, long Failures, TimeSpan Wall, List<double> Latencies, CpuResult Cpu)
    {
        public double PerSecond => Requests / Wall.TotalSeconds;

        public string Describe() =>
            $"**{PerSecond:N0} requests/s** ({Requests:N0} in {Wall.TotalSeconds:0.0} s{(Failures > 0 ? $", {Failures:N0} failed" : "")}); latency p50 {Report.Percentile(Latencies, 50):0.00} ms, "
            + $"p99 {Report.Percentile(Latencies, 99):0.00} ms; bench process {Cpu.SelfPercent:0} % of a core; {Cpu.DescribeMachine()}";
    }

    private static async Task<Run> MeasureAsync(BenchOptions o, MachineInfo machine, CancellationToken ct, Func<int, CancellationToken, Task<HttpStatusCode>> call)
    {
        var next = 0;
        async Task<(long Ok, long Failed, List<double> Latencies)> Caller(TimeSpan duration)
        {
            var latencies = new List<double>();
            long ok = 0, failed = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < duration)
            {
                ct.ThrowIfCancellationRequested();
                var start = sw.Elapsed;
                var code = await call(Interlocked.Increment(ref next), ct);
                latencies.Add((sw.Elapsed - start).TotalMilliseconds);
                if (code == HttpStatusCode.OK) ok++;
                else failed++;
            }
            return (ok, failed, latencies);
        }

        await Task.WhenAll(Enumerable.Range(0, o.CapacityCallers).Select(_ => Caller(TimeSpan.FromSeconds(1)))); // warm-up (JIT, connections)
        var window = CpuWindow.Start(machine);
        var wall = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, o.CapacityCallers).Select(_ => Task.Run(() => Caller(TimeSpan.FromSeconds(o.CapacitySeconds)), ct)));
        var elapsed = wall.Elapsed;
        var cpu = window.Stop();
        var all = results.SelectMany(r => r.Latencies).ToList();
        all.Sort();
        return new Run(results.Sum(r => r.Ok), results.Sum(r => r.Failed), elapsed, all, cpu);
    }
}
