using System.Diagnostics;
using FleetL4.Client;
using FleetL4.FakeKube;
using FleetL4.Models;

namespace FleetL4.AgentBench;

/// <summary>
/// Scenario "one member, N exports": the fake member API server in this process, loaded straight through its store
/// with N Services, ServiceExports and EndpointSlices; then the hub process and `fleetl4 agent` as a process.
/// Measures (a) agent start -> the hub holds all N exports of the cluster (GetMemberCluster every 250 ms), (b) agent
/// start -> every ServiceExport in the fake store shows Valid=True (counted in the store every 250 ms), then, after a
/// settle time, (c) the CPU of the hub and of the agent over an idle window with nothing polling, (d) the requests
/// the fake API server got in that window and the status PATCHes among them; and RSS at the end.
/// </summary>
public static class OneMemberScenario
{
    public const string Cluster = "bench-member";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task<string> RunAsync(BenchOptions o, BenchPaths paths, MachineInfo machine, FakeApiCapacity.Result? capacity, CancellationToken ct)
    {
        var n = o.Exports;
        var report = new Report($"Agent bench: one member, {n:N0} exports (`fleetl4 agent` and the hub as processes, fake member API server in the bench process)");
        report.Row("Machine", machine.Describe());
        report.Note($"Fake member API server (tests/FleetL4.FakeKube) in the bench process, loaded through its store (no HTTP) with {n:N0} Services (ClusterIP, port 8080), "
            + $"{n:N0} ServiceExports (networking.fleet.azure.com/v1alpha1, svc-0..svc-{n - 1} in {o.Namespaces} namespaces bench-0..) and one EndpointSlice per Service "
            + $"with 2 ready 10.x addresses; it sends watch bookmarks every {o.BookmarkSeconds} s (a real API server: about once a minute).");
        report.Note($"Hub: `dotnet {paths.Relative(paths.HubDll)} --FleetL4:Provider=InMemory` on free 127.0.0.1 ports, default settings (heartbeat 10 s, reminders 1 min). "
            + $"Agent: `dotnet {paths.Relative(paths.AgentDll)} agent --kubeconfig FILE --cluster {Cluster} --hub URL --label {Workload.LocationLabel}={Workload.Location}`.");
        report.Note("(a) and (b) count from the agent's process start (its .NET start-up included); the bench polls the hub and counts the store every 250 ms until both are reached "
            + $"or --timeout ({o.TimeoutSeconds} s). CPU: utime+stime from /proc/PID/stat, {machine.ClockTicks} ticks/s{(machine.ClockTicksAssumed ? " (assumed: getconf CLK_TCK failed)" : " (getconf CLK_TCK)")}, as % of one core.");

        var load = Stopwatch.StartNew();
        await using var api = new FakeKubernetesApiServer { BookmarkInterval = TimeSpan.FromSeconds(o.BookmarkSeconds) };
        Workload.Load(api.Store, n, o.Namespaces);
        await api.StartAsync();
        var kubeconfig = api.WriteKubeconfig(paths.Work, Cluster);
        report.Row("Set-up", $"fake API server loaded with {3 * n:N0} objects and listening in {load.Elapsed.TotalSeconds:0.0} s");

        var hubStart = Stopwatch.StartNew();
        var (hub, hubUrl) = await Hub.StartAsync(paths, "hub-one-member", ct);
        ChildProcess? agent = null;
        try
        {
            report.Row("Hub start-up", $"{hubStart.Elapsed.TotalSeconds:0.0} s to \"Press Ctrl+C to stop.\"");
            Hub.BaselineRow(report, await Hub.BaselineAsync(o, machine, hub, ct), hub);
            using var fleet = new FleetClient(new HubConnectionOptions { Hubs = [new Uri(hubUrl)] });
            var requestsBefore = api.RequestCounts();
            var patchesBefore = api.Store.StatusPatches;
            var hubCpuBefore = Proc.CpuTicks(hub.Pid);
            var selfBefore = Proc.SelfCpu();
            var machineBefore = Proc.MachineTicks();
            var loadBefore = MachineInfo.LoadAverage();

            var clock = Stopwatch.StartNew();
            agent = ChildProcess.Start("agent", "dotnet",
                [paths.AgentDll, "agent", "--kubeconfig", kubeconfig, "--cluster", Cluster, "--hub", hubUrl, "--label", $"{Workload.LocationLabel}={Workload.Location}"],
                paths.Root, Path.Combine(paths.Work, "agent.log"));

            // Convergence: poll until the hub holds every export and the store shows every one Valid=True.
            TimeSpan? joined = null, hubAll = null, validAll = null;
            var hubMarks = new Milestones(n);
            var validMarks = new Milestones(n);
            int hubCount = 0, valid = 0, pollErrors = 0;
            string? lastPollError = null;
            var deadline = TimeSpan.FromSeconds(o.TimeoutSeconds);
            var nextProgress = TimeSpan.FromSeconds(5);
            var progress = new Progress("one-member", machine, (hub.Name, hub.Pid), (agent.Name, agent.Pid));
            while (clock.Elapsed < deadline && (hubAll is null || validAll is null))
            {
                var tick = Stopwatch.StartNew();
                if (agent.HasExited) throw new BenchException("the agent exited during convergence", agent);
                if (hub.HasExited) throw new BenchException("the hub exited during convergence", hub);
                if (hubAll is null)
                {
                    try
                    {
                        var member = await fleet.GetMemberClusterAsync(Cluster, ct);
                        joined ??= clock.Elapsed;
                        hubCount = member.ServiceExports.Count;
                        hubMarks.Saw(hubCount, clock.Elapsed);
                        if (hubCount >= n) hubAll = clock.Elapsed;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Until the agent has joined the cluster does not exist.
                        pollErrors++;
                        lastPollError = ex.Message;
                    }
                }
                if (validAll is null)
                {
                    valid = api.Count("serviceexports", Workload.IsValid);
                    validMarks.Saw(valid, clock.Elapsed);
                    if (valid >= n) validAll = clock.Elapsed;
                }
                if (clock.Elapsed >= nextProgress)
                {
                    nextProgress += TimeSpan.FromSeconds(5);
                    progress.Print(clock.Elapsed, $"hub holds {hubCount:N0}/{n:N0}, Valid=True {valid:N0}/{n:N0}, status patches {api.Store.StatusPatches - patchesBefore:N0}, "
                        + $"requests {api.Requests:N0}, agent warnings {agent.Warnings:N0}");
                }
                var wait = Poll - tick.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            }
            var convergedAt = clock.Elapsed;
            var converged = hubAll is not null && validAll is not null;

            // What convergence cost.
            var agentCpu = Seconds(Proc.CpuTicks(agent.Pid), machine);
            var hubCpu = Seconds(Proc.CpuTicks(hub.Pid) - hubCpuBefore, machine);
            var selfCpu = (Proc.SelfCpu() - selfBefore).TotalSeconds;
            var machineAfter = Proc.MachineTicks();
            var busy = (machineAfter.Busy - machineBefore.Busy) / (double)Math.Max(1, machineAfter.Total - machineBefore.Total) * machine.Cores;
            var convergeRequests = Report.Delta(requestsBefore, api.RequestCounts());
            var convergePatches = api.Store.StatusPatches - patchesBefore;

            report.Row("(a) Agent start -> hub holds all exports of the cluster", hubAll is { } a
                ? $"**{a.TotalSeconds:0.0} s** (cluster joined after {Report.Seconds(joined)}; {hubMarks})"
                : $"**not reached in {o.TimeoutSeconds} s**: the hub held {hubCount:N0} of {n:N0} ({hubMarks})");
            report.Row("(b) Agent start -> every ServiceExport shows Valid=True in the member", validAll is { } b
                ? $"**{b.TotalSeconds:0.0} s** ({validMarks})"
                : $"**not reached in {o.TimeoutSeconds} s**: {valid:N0} of {n:N0} ({validMarks})");
            var convergeSeconds = convergedAt.TotalSeconds;
            var totalRequests = convergeRequests.Values.Sum();
            report.Row($"CPU from agent start to {(converged ? "both reached" : "the timeout")} ({convergeSeconds:0.0} s)",
                $"agent {agentCpu:0.0} s ({agentCpu / convergeSeconds * 100:0} % of a core), hub {hubCpu:0.0} s ({hubCpu / convergeSeconds * 100:0} %), "
                + $"bench process (fake API server, polling) {selfCpu:0.0} s ({selfCpu / convergeSeconds * 100:0} %); machine busy {busy:0.00} of {machine.Cores} cores on average; "
                + $"load average {loadBefore} -> {MachineInfo.LoadAverage()}");
            report.Row("Fake API requests during convergence",
                $"{totalRequests:N0} ({totalRequests / convergeSeconds:N0}/s on average{(capacity is null ? "" : $"; this machine's fake API server serves {capacity.GetPerSecond:N0} GETs/s and {capacity.PatchPerSecond:N0} status PATCHes/s with 8 callers")}); "
                + $"status PATCHes {convergePatches:N0}; by kind: {Report.Requests(convergeRequests)}");

            // Settle, then the idle window: nothing polls the hub or the store.
            await Task.Delay(TimeSpan.FromSeconds(o.SettleSeconds), ct);
            var idleRequestsBefore = api.RequestCounts();
            var idlePatchesBefore = api.Store.StatusPatches;
            var idleWarningsBefore = agent.Warnings;
            var window = CpuWindow.Start(machine, (hub.Name, hub.Pid), (agent.Name, agent.Pid));
            await Task.Delay(TimeSpan.FromSeconds(o.IdleSeconds), ct);
            var idle = window.Stop();
            var idleRequests = Report.Delta(idleRequestsBefore, api.RequestCounts());
            var idlePatches = api.Store.StatusPatches - idlePatchesBefore;
            var idleLabel = $"{idle.Wall.TotalSeconds:0} s idle window ({o.SettleSeconds} s after {(converged ? "convergence" : "the timeout: NOT converged, so not idle")})";
            report.Row($"(c) Hub CPU, {idleLabel}", $"**{idle.Describe(hub.Name)}**");
            report.Row($"(c) Agent CPU, same window", $"**{idle.Describe(agent.Name)}**");
            report.Row("Bench process CPU (the fake API server), same window", idle.DescribeSelf());
            report.Row("Machine during the idle window", idle.DescribeMachine());
            report.Row("(d) Requests to the fake API server in the idle window (a watch counts when it starts)",
                $"**{idleRequests.Values.Sum():N0}** ({Report.Requests(idleRequests)})");
            report.Row("(d) Status PATCHes in the idle window", $"**{idlePatches:N0}**");

            // The end state.
            var hubMemory = Proc.Memory(hub.Pid);
            var agentMemory = Proc.Memory(agent.Pid);
            report.Row("RSS at the end: hub / agent (peak)",
                $"hub {Mem(hubMemory)}, agent {Mem(agentMemory)}");
            var validTotal = api.Count("serviceexports", Workload.IsValid);
            var conflictFalse = api.Count("serviceexports", e => Workload.Condition(e, ConditionTypes.Conflict).Status == ConditionStatuses.False);
            var events = api.Count("events", _ => true);
            report.Row("Member state at the end", $"{validTotal:N0} of {n:N0} ServiceExports Valid=True, {conflictFalse:N0} Conflict=False; {events:N0} core/v1 Events recorded; "
                + $"{api.Store.StatusPatches - patchesBefore:N0} status PATCHes in all");
            report.Row("Agent log", $"{agent.Lines:N0} lines, {agent.Warnings:N0} warnings ({agent.Warnings - idleWarningsBefore:N0} in the idle window), {agent.Errors:N0} errors"
                + (agent.FirstWarnings.Count > 0 ? $"; first: {string.Join(" / ", agent.FirstWarnings.Take(3))}" : ""));
            report.Row("Hub log", $"{hub.Lines:N0} lines, {hub.Warnings:N0} warnings, {hub.Errors:N0} errors"
                + (hub.FirstWarnings.Count > 0 ? $"; first: {string.Join(" / ", hub.FirstWarnings.Take(3))}" : ""));
            if (pollErrors > 0) report.Row("Hub polls that failed (before the cluster joined)", $"{pollErrors:N0}; last: {lastPollError}");
            report.Row("Stop", $"agent: {await Hub.StopAsync(agent)}; hub: {await Hub.StopAsync(hub)}");
            return report.ToMarkdown();
        }
        finally
        {
            if (agent is not null)
            {
                if (!agent.HasExited) await agent.TerminateAsync(TimeSpan.FromSeconds(5));
                await agent.DisposeAsync();
            }
            if (!hub.HasExited) await hub.TerminateAsync(TimeSpan.FromSeconds(5));
            await hub.DisposeAsync();
        }
    }

    private static double Seconds(long? ticks, MachineInfo machine) => (ticks ?? 0) / (double)machine.ClockTicks;

    private static string Mem((long Rss, long Peak)? m) => m is { } v ? $"{Report.Mib(v.Rss)} ({Report.Mib(v.Peak)})" : "-";
}

/// <summary>When a count first reached 10 %, 50 % and 90 % of its goal.</summary>
public sealed class Milestones(int goal)
{
    private static readonly int[] Percents = [10, 50, 90];
    private readonly TimeSpan?[] _at = new TimeSpan?[Percents.Length];

    public void Saw(int count, TimeSpan at)
    {
        for (var i = 0; i < Percents.Length; i++)
            if (_at[i] is null && count * 100L >= (long)goal * Percents[i]) _at[i] = at;
    }

    public override string ToString() =>
        string.Join(", ", Percents.Select((p, i) => $"{p} % at {Report.Seconds(_at[i])}"));
}

/// <summary>A progress line on stderr every few seconds (stdout is for the report), with the CPU of the children since the last one.</summary>
public sealed class Progress(string scenario, MachineInfo machine, params (string Name, int Pid)[] processes)
{
    private CpuWindow _window = CpuWindow.Start(machine, processes);

    public void Print(TimeSpan elapsed, string what)
    {
        var cpu = _window.Stop();
        _window = CpuWindow.Start(machine, processes);
        var usage = string.Join(", ", processes.Select(p => $"{p.Name} {cpu.Percent(p.Name) ?? 0:0} %"));
        Console.Error.WriteLine($"[{scenario} {elapsed.TotalSeconds,6:0.0}s] {what}; CPU {usage}, bench {cpu.SelfPercent:0} %; load {MachineInfo.LoadAverage()}");
    }
}
