using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Benchmarks.ApplyToRoute;

/// <summary>Parameters of the apply-to-route run (flags in <see cref="ApplyToRouteCommand"/>).</summary>
public sealed record ApplyToRouteOptions(int Rounds, string SiloDll, string CliDll, TimeSpan RoundTimeout, string LogFolder, string? OutputPath, IReadOnlyList<string> Args);

/// <summary>One round on one hub, applied <paramref name="Via"/> "cli" (a `fleetl4 apply` process) or "api" (the same
/// call from this process, no CLI start-up): times from just before the apply starts.</summary>
public sealed record RouteRound(string Hub, string Via, int Round, string Namespace, int ApplyExitCode, double ApplyReturnedMs, double? ExternalIpSeenMs, double? RoutedMs, string? Frontend);

/// <summary>
/// `fleetl4 apply` to the first routed connection. Two hub processes with the Local provider (the shipped data
/// plane) side by side: "default" (shipped coalescing window) and "peer" (window 0), frontend pools 127.0.80.0/24 and
/// 127.0.81.0/24; one banner backend on 127.0.82.1. Each hub gets a virtual member (`fleetl4 cluster join`). Each round,
/// on each hub in turn (the order alternates), `fleetl4 apply -f` of a Service + EndpointSlice + ServiceExport +
/// MultiClusterService in a new namespace, and then the same objects in another new namespace through
/// <c>FleetClient.ApplyManifestsAsync</c> from this process (what the CLI calls, without its process start-up), while a poller reads the MCS's EXTERNAL-IP through the hub API and then
/// connects to EXTERNAL-IP:port every ~1 ms until the backend's banner comes back. Only 127.x addresses are used.
/// </summary>
public static class ApplyToRouteBench
{
    private const string Member = "route-member";
    private static readonly IPAddress BackendAddress = IPAddress.Parse("127.0.82.1");

    public static async Task<int> RunAsync(ApplyToRouteOptions o, CancellationToken ct)
    {
        Directory.CreateDirectory(o.LogFolder);
        using var hold = new LoopbackHold("127.0.80", "127.0.81", "127.0.82");
        await using var backend = new BannerBackend(BackendAddress);
        FleetBenchmark.Log($"apply-to-route: backend {backend.Endpoint}; logs in {o.LogFolder}");
        var rounds = new List<RouteRound>();
        var problems = new List<string>();
        var hubs = new List<HubProcess>();
        try
        {
            var started = await Task.WhenAll(
                HubProcess.StartAsync("default", o.SiloDll, ["--FleetL4:FrontendPool=127.0.80.0/24"], o.LogFolder, ct),
                HubProcess.StartAsync("peer", o.SiloDll, ["--FleetL4:FrontendPool=127.0.81.0/24", "--FleetL4:CoalescingWindow=00:00:00"], o.LogFolder, ct));
            hubs.AddRange(started);
            foreach (var hub in hubs)
            {
                FleetBenchmark.Log($"hub {hub.Name} up (pid {hub.Pid}, API {hub.Url}, {string.Join(' ', hub.Settings)})");
                var join = await CliAsync(o, hub, ["cluster", "join", Member], $"join-{hub.Name}", ct);
                if (join != 0) throw new InvalidOperationException($"fleetl4 cluster join failed on {hub.Name} (exit {join})");
            }
            // One unmeasured round per hub: JIT and first-call costs of hub and CLI paths.
            foreach (var hub in hubs)
            {
                foreach (var via in Vias)
                {
                    var warm = await RoundAsync(o, hub, via, 0, $"{via}-warmup", backend.Endpoint, ct);
                    FleetBenchmark.Log($"warm-up on {hub.Name} via {via}: routed after {warm.RoutedMs:0.0} ms");
                }
            }
            for (var r = 1; r <= o.Rounds; r++)
            {
                var order = r % 2 == 1 ? hubs : [hubs[1], hubs[0]];
                foreach (var (hub, via) in order.SelectMany(h => Vias.Select(v => (h, v))))
                {
                    var round = await RoundAsync(o, hub, via, r, $"{via}-{r:D3}", backend.Endpoint, ct);
                    rounds.Add(round);
                    FleetBenchmark.Log($"round {r} {hub.Name} via {via}: apply returned {round.ApplyReturnedMs:0.0} ms (code {round.ApplyExitCode}), "
                        + $"EXTERNAL-IP {round.Frontend ?? "-"} seen {round.ExternalIpSeenMs:0.0} ms, routed {round.RoutedMs:0.0} ms");
                    if (round.RoutedMs is null) problems.Add($"round {r} on {hub.Name} via {via}: no routed connection within {o.RoundTimeout.TotalSeconds:0} s");
                    if (round.ApplyExitCode != 0) problems.Add($"round {r} on {hub.Name} via {via}: apply failed, code {round.ApplyExitCode}");
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add($"aborted: {ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine(ex);
        }
        finally
        {
            foreach (var hub in hubs) await hub.DisposeAsync();
        }

        var markdown = Render(o, hubs, rounds, problems);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (o.OutputPath is not null) await File.AppendAllTextAsync(o.OutputPath, markdown + Environment.NewLine, CancellationToken.None);
        return problems.Count == 0 ? 0 : 1;
    }

    private static readonly string[] Vias = ["cli", "api"];

    private static async Task<RouteRound> RoundAsync(ApplyToRouteOptions o, HubProcess hub, string via, int round, string ns, IPEndPoint backend, CancellationToken ct)
    {
        var yaml = RouteManifest.Yaml(ns, backend);
        var file = Path.Combine(o.LogFolder, $"{ns}-{hub.Name}.yaml");
        await File.WriteAllTextAsync(file, yaml, ct);
        var objects = ManifestReader.Read(yaml, file);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(o.RoundTimeout);

        var t0 = Stopwatch.GetTimestamp();
        var apply = via == "cli" ? CliApplyAsync(o, hub, file, ns, deadline.Token) : ApiApplyAsync(hub, objects, deadline.Token);
        var poll = PollAsync(hub, ns, backend.Port, t0, deadline.Token);
        var exitCode = await apply;
        var returned = LatencySummary.TicksToMs(Stopwatch.GetTimestamp() - t0);
        var (ipSeen, routed, frontend) = await poll;
        return new RouteRound(hub.Name, via, round, ns, exitCode, returned, ipSeen, routed, frontend);
    }

    private static async Task<int> CliApplyAsync(ApplyToRouteOptions o, HubProcess hub, string file, string ns, CancellationToken ct)
    {
        await using var apply = ChildProcess.StartDotnet(o.CliDll, ["apply", "-f", file, "--cluster", Member, "--hub", hub.Url.ToString()],
            Path.Combine(o.LogFolder, $"apply-{ns}-{hub.Name}.log"));
        return await apply.WaitForExitAsync(ct);
    }

    /// <summary>What `fleetl4 apply` calls; 0 when every object was taken.</summary>
    private static async Task<int> ApiApplyAsync(HubProcess hub, IReadOnlyList<ManifestObject> objects, CancellationToken ct)
    {
        var results = await hub.Client.ApplyManifestsAsync(Member, objects, ct);
        return results.Count == objects.Count ? 0 : 1;
    }

    /// <summary>EXTERNAL-IP through the hub API, then TCP connects to it until the backend's banner comes back; ~1 ms between tries.</summary>
    private static async Task<(double? IpSeen, double? Routed, string? Frontend)> PollAsync(HubProcess hub, string ns, int port, long t0, CancellationToken ct)
    {
        string? ip = null;
        double? ipSeen = null;
        var buffer = new byte[BannerBackend.Banner.Length];
        try
        {
            while (true)
            {
                if (ip is null)
                {
                    var view = await hub.Client.GetMultiClusterServiceAsync(Member, ns, RouteManifest.Name, ct);
                    if (view.ExternalIp is { } external)
                    {
                        ip = external;
                        ipSeen = LatencySummary.TicksToMs(Stopwatch.GetTimestamp() - t0);
                        continue;
                    }
                }
                else if (await ReachesBackendAsync(IPAddress.Parse(ip), port, buffer, ct))
                {
                    return (ipSeen, LatencySummary.TicksToMs(Stopwatch.GetTimestamp() - t0), ip);
                }
                await Task.Delay(1, ct);
            }
        }
        catch (OperationCanceledException)
        {
            return (ipSeen, null, ip);
        }
    }

    private static async Task<bool> ReachesBackendAsync(IPAddress frontend, int port, byte[] buffer, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(frontend, port), ct);
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read), ct);
                if (n == 0) return false; // the frontend closed: no backend (yet)
                read += n;
            }
            return Encoding.ASCII.GetString(buffer) == BannerBackend.Banner;
        }
        catch (SocketException)
        {
            return false; // nothing listens there yet
        }
    }

    private static async Task<int> CliAsync(ApplyToRouteOptions o, HubProcess hub, string[] args, string log, CancellationToken ct)
    {
        await using var cli = ChildProcess.StartDotnet(o.CliDll, [.. args, "--hub", hub.Url.ToString()], Path.Combine(o.LogFolder, $"{log}.log"));
        return await cli.WaitForExitAsync(ct);
    }

    private static string Render(ApplyToRouteOptions o, IReadOnlyList<HubProcess> hubs, IReadOnlyList<RouteRound> rounds, IReadOnlyList<string> problems)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### `fleetl4 apply` to the first routed connection ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        sb.AppendLine();
        sb.AppendLine($"- Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; "
            + $"load average at the end {File.ReadAllText("/proc/loadavg").Trim()}");
        sb.AppendLine($"- Command: `dotnet tests/FleetL4.Benchmarks/bin/Release/net10.0/FleetL4.Benchmarks.dll {string.Join(' ', o.Args)}`");
        sb.AppendLine($"- {o.Rounds} rounds (after one unmeasured warm-up round per hub and way), alternating which hub goes first. Each round, on each hub: "
            + "`dotnet fleetl4.dll apply -f FILE --cluster route-member` (a new namespace: Service, EndpointSlice with one ready endpoint, "
            + "ServiceExport, MultiClusterService) on a virtual member joined with `fleetl4 cluster join`, the clock starting just before the "
            + "CLI process is started (its start-up is in the figure); then the same objects in another new namespace through "
            + "`FleetClient.ApplyManifestsAsync` from the benchmark process (the call the CLI makes, without its start-up). A poller reads the MCS's EXTERNAL-IP through the hub API "
            + "(`FleetClient.GetMultiClusterServiceAsync`) and then connects to EXTERNAL-IP:port every ~1 ms until the backend's banner comes back.");
        sb.AppendLine("- Hubs: `src/Silo` processes with the shipped defaults (Local provider: the hub's own L4 data plane, Orleans dashboard on), "
            + "except their own free loopback ports and: "
            + string.Join("; ", hubs.Select(h => $"**{h.Name}**: `{string.Join(' ', h.Settings)}`")) + ". Only 127.x addresses are used.");
        sb.AppendLine();
        sb.AppendLine("| Hub | Apply via | Rounds | apply start -> first routed connection: p50 / p90 / max | -> EXTERNAL-IP visible in the API: p50 / p90 / max | apply returned (CLI: process exited): p50 / p90 / max |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, via) in rounds.Select(r => (r.Hub, r.Via)).Distinct())
        {
            var mine = rounds.Where(r => r.Hub == name && r.Via == via).ToList();
            sb.AppendLine($"| {name} | {(via == "cli" ? "`fleetl4 apply`" : "API (`ApplyManifestsAsync`)")} | {mine.Count} | {Row(mine.Where(r => r.RoutedMs is not null).Select(r => r.RoutedMs!.Value).ToList())} "
                + $"| {Row(mine.Where(r => r.ExternalIpSeenMs is not null).Select(r => r.ExternalIpSeenMs!.Value).ToList())} "
                + $"| {Row([.. mine.Select(r => r.ApplyReturnedMs)])} |");
        }
        sb.AppendLine();
        sb.AppendLine("Every round (ms from apply start):");
        sb.AppendLine();
        sb.AppendLine("| Round | Hub | Via | Namespace | Frontend | apply exit code | apply returned | EXTERNAL-IP seen | routed |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rounds)
            sb.AppendLine($"| {r.Round} | {r.Hub} | {r.Via} | {r.Namespace} | {r.Frontend ?? "-"} | {r.ApplyExitCode} | {r.ApplyReturnedMs:0.0} | {r.ExternalIpSeenMs:0.0} | {r.RoutedMs:0.0} |");
        sb.AppendLine();
        sb.AppendLine($"Problems: {(problems.Count == 0 ? "none" : string.Join("; ", problems))}");
        return sb.ToString();
    }

    private static string Row(IReadOnlyCollection<double> ms) =>
        LatencySummary.Of(ms) is { } s ? $"{s.P50:0} / {s.P90:0} / {s.Max:0} ms" : "-";
}
