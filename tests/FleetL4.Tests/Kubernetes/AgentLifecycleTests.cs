using System.Diagnostics;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>
/// The agent as a good Kubernetes citizen, as processes against a hub process and a fake member API server: it stops
/// promptly on SIGTERM and SIGINT, two replicas elect one leader on a Lease, and status writes go in parallel under
/// the request budget.
/// </summary>
public sealed class AgentLifecycleTests : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("fleetl4-lifecycle-").FullName;
    private HubProcess _hub = null!;
    private FakeKubernetesApiServer _api = null!;

    public async Task InitializeAsync()
    {
        _hub = await HubProcess.StartAsync("--FleetL4:Provider=InMemory");
        _api = new FakeKubernetesApiServer();
        await _api.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _hub.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    private AgentProcess Agent(string cluster, string hub, IReadOnlyDictionary<string, string>? environment = null, params string[] extra) =>
        AgentProcess.Start(environment ?? new Dictionary<string, string>(),
            ["--kubeconfig", _api.WriteKubeconfig(_workDir, cluster), "--cluster", cluster, "--hub", hub, .. extra]);

    [Theory]
    [InlineData("TERM", true)]
    [InlineData("INT", true)]
    [InlineData("TERM", false)]
    public async Task A_signal_stops_the_agent_within_five_seconds_with_exit_code_0(string signal, bool hubUp)
    {
        var cluster = $"sig-{signal.ToLowerInvariant()}-{(hubUp ? "up" : "down")}";
        // Unreachable: a port nothing listens on; the agent keeps retrying the hub until it is stopped.
        await using var agent = Agent(cluster, hubUp ? _hub.ApiUrl : $"http://127.0.0.1:{LoopbackBlock.FreePort()}");
        _api.ApplyYaml(MemberHarness.Workload($"{cluster}-ns"));
        if (hubUp)
        {
            using var fleet = _hub.Client();
            await Eventually.Get(() => fleet.GetMemberClusterAsync(cluster), m => m.ServiceExports.Count == 1, "the agent synced (stream open)", TimeSpan.FromSeconds(60));
        }
        else await Eventually.True(() => agent.Output.Contains("Hub connection failed"), "the agent tried the hub", TimeSpan.FromSeconds(60));

        var stop = Stopwatch.StartNew();
        var exit = await agent.SignalAsync(signal, TimeSpan.FromSeconds(5));
        Assert.True(exit is not null, $"still running {stop.Elapsed} after SIG{signal}:\n{agent.Output}");
        Assert.Equal(0, exit);
        Assert.Contains("stopping", agent.Output);
    }

    [Fact]
    public async Task Two_replicas_elect_one_leader_and_the_standby_takes_over_when_it_dies()
    {
        const string cluster = "ha-member";
        string[] election = ["--leader-elect", "--lease-namespace", "fleetl4-system", "--lease-duration", "00:00:02",
            "--renew-deadline", "00:00:01.500", "--retry-period", "00:00:00.250"];
        await using var a = Agent(cluster, _hub.ApiUrl, new Dictionary<string, string> { ["POD_NAME"] = "agent-a" }, election);
        await using var b = Agent(cluster, _hub.ApiUrl, new Dictionary<string, string> { ["POD_NAME"] = "agent-b" }, election);
        string? Holder() => _api.Get("leases", "fleetl4-system", "fleetl4-agent")?["spec"]?["holderIdentity"]?.GetValue<string>();

        await Eventually.True(() => Holder() is "agent-a" or "agent-b", "a leader", TimeSpan.FromSeconds(60));
        var leader = Holder()!;
        var (first, standby) = leader == "agent-a" ? (a, b) : (b, a);
        _api.ApplyYaml(MemberHarness.Workload("ha"));
        using var fleet = _hub.Client();
        await Eventually.Get(() => fleet.GetMemberClusterAsync(cluster), m => m.ServiceExports.Count == 1, "the leader synced", TimeSpan.FromSeconds(60));
        Assert.Contains("leads: starting the agent", first.Output);
        Assert.DoesNotContain("leads: starting the agent", standby.Output);

        // The leader dies without a word; the standby takes the lease once it runs out, and carries on.
        await first.SignalAsync("KILL", TimeSpan.FromSeconds(5));
        var died = Stopwatch.StartNew();
        await Eventually.True(() => Holder() is { } h && h != leader, "the standby took the lease", TimeSpan.FromSeconds(30));
        Assert.True(died.Elapsed < TimeSpan.FromSeconds(15), $"took over {died.Elapsed} after the leader died");
        _api.ApplyYaml(MemberHarness.Workload("ha", name: "second"));
        await Eventually.Get(() => fleet.GetMemberClusterAsync(cluster), m => m.ServiceExports.Count == 2, "the new leader synced", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Status_writes_go_in_parallel_and_never_above_the_request_budget()
    {
        const string cluster = "budget-member";
        const int exports = 120;
        _api.StatusPatchDelay = TimeSpan.FromMilliseconds(20);
        for (var i = 0; i < exports; i++) _api.ApplyYaml(MemberHarness.Workload("budget", name: $"svc-{i}"));
        await using var agent = Agent(cluster, _hub.ApiUrl, null, "--qps", "40", "--burst", "5");
        await Eventually.True(() => _api.List("serviceexports", "budget").Count(e => e["status"]?["conditions"] is not null) == exports,
            "every status written", TimeSpan.FromSeconds(60));
        Assert.True(_api.MaxStatusPatchesInFlight > 1, $"at most {_api.MaxStatusPatchesInFlight} status write in flight");
        // Under the budget 120 writes take at least (120 - burst) / QPS = 2.9 s; unlimited, 16 writers at 20 ms each would
        // be done in 0.15 s. (A slow machine only makes them take longer, so this cannot fail for being busy.)
        var times = _api.StatusPatchTimes.Order().ToArray();
        Assert.True(times.Length >= exports, $"{times.Length} status writes");
        var spread = times[^1] - times[0];
        Assert.True(spread >= TimeSpan.FromSeconds((exports - 5) / 40.0 * 0.9), $"{times.Length} status writes within {spread}");
    }
}
