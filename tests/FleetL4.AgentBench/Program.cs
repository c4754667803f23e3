// FleetL4 agent benchmark (issue 10, part 5): the member agent at fleet scale, as processes, against the fake member
// API server, and the hub with many (simulated) members. Run with --help for the flags; see README.md.
using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using FleetL4.AgentBench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string[] known = [BenchPaths.FakeApi, BenchPaths.OneMember, BenchPaths.ManyMembers];
var scenarios = new Option<string[]>("--scenario")
{
    Description = $"Scenarios to run, in this order whatever the order given: {string.Join(", ", known)}, or all.",
    DefaultValueFactory = _ => ["all"],
    AllowMultipleArgumentsPerToken = true,
};
scenarios.Validators.Add(r =>
{
    foreach (var s in r.GetValueOrDefault<string[]>() ?? [])
        if (s != "all" && !known.Contains(s)) r.AddError($"--scenario: unknown scenario \"{s}\" (one of {string.Join(", ", known)}, all)");
});
var exports = Positive("--exports", 10_000, "One-member scenario (and the fake API server's store in fake-api): ServiceExports, each with its Service and one EndpointSlice.");
var namespaces = Positive("--namespaces", 10, "Namespaces the exports are spread over (bench-0, bench-1, ...).");
var idle = Positive("--idle-seconds", 60, "Length of each idle window (CPU and requests measured).");
var settle = NonNegative("--settle-seconds", 5, "Wait after convergence (or set-up) before the idle window.");
var baseline = NonNegative("--baseline-seconds", 20, "Hub CPU with nothing connected, measured this long after its start-up (and the settle time) in each scenario; 0 = skip.");
var timeout = Positive("--timeout", 300, "Longest wait for convergence (seconds from the agent's start, or from the first join); the report then says how far it got.");
var bookmarks = Positive("--bookmark-seconds", 60, "Watch bookmark interval of the fake API server (a real API server sends one about every minute).");
var members = Positive("--members", 200, "Many-members scenario: simulated member clusters.");
var perMember = Positive("--exports-per-member", 100, "Many-members scenario: exports per member.");
var churnPercent = new Option<double>("--churn-percent") { Description = "Many-members scenario: % of all exports that change one endpoint per second in the churn window.", DefaultValueFactory = _ => 1.0 };
churnPercent.Validators.Add(r => { if (r.GetValueOrDefault<double>() is <= 0 or > 100) r.AddError("--churn-percent must be in (0, 100]"); });
var churnSeconds = Positive("--churn-seconds", 60, "Many-members scenario: length of the churn window.");
var capacitySeconds = Positive("--capacity-seconds", 5, "Fake-api scenario: seconds per request kind.");
var capacityCallers = Positive("--capacity-callers", 8, "Fake-api scenario: concurrent HttpClient callers.");
var hubDll = new Option<string?>("--hub-dll") { Description = "The hub to run (default: src/Silo/bin/Release/net10.0/FleetL4.Silo.dll)." };
var agentDll = new Option<string?>("--agent-dll") { Description = "The CLI to run `agent` of (default: src/Cli/bin/Release/net10.0/fleetl4.dll)." };
var output = new Option<string?>("--out") { Description = "Also append the markdown report to this file." };
var keepLogs = new Option<bool>("--keep-logs") { Description = "Keep the scratch directory (kubeconfig, hub and agent logs) even when the run succeeds." };

var root = new RootCommand("FleetL4 agent benchmark: `fleetl4 agent` and the hub as processes against the fake member API server (one member, N exports), "
    + "the hub with many simulated members (idle and churn CPU), and what the fake API server itself serves. Markdown on stdout, progress on stderr.")
{
    scenarios, exports, namespaces, idle, settle, baseline, timeout, bookmarks, members, perMember, churnPercent, churnSeconds, capacitySeconds, capacityCallers,
    hubDll, agentDll, output, keepLogs,
};
root.SetAction(async (parse, _) =>
{
    var chosen = parse.GetValue(scenarios)!;
    var options = new BenchOptions(
        chosen.Contains("all") ? known : [.. known.Where(chosen.Contains)],
        parse.GetValue(exports), parse.GetValue(namespaces), parse.GetValue(idle), parse.GetValue(settle), parse.GetValue(baseline), parse.GetValue(timeout), parse.GetValue(bookmarks),
        parse.GetValue(members), parse.GetValue(perMember), parse.GetValue(churnPercent), parse.GetValue(churnSeconds),
        parse.GetValue(capacitySeconds), parse.GetValue(capacityCallers),
        parse.GetValue(hubDll), parse.GetValue(agentDll), parse.GetValue(output), parse.GetValue(keepLogs), args);
    return await RunAsync(options);
});
// Ctrl+C and SIGTERM are handled below (the children are stopped first), not by System.CommandLine.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static async Task<int> RunAsync(BenchOptions o)
{
    using var stop = new CancellationTokenSource();
    var signals = 0;
    void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // exit on our own, after the children
        if (Interlocked.Increment(ref signals) == 1)
        {
            Console.Error.WriteLine($"agentbench: {context.Signal}: stopping the hub and agent processes, then exiting");
            stop.Cancel();
            // However stuck the clean-up, exit within seconds.
            _ = Task.Delay(TimeSpan.FromSeconds(10)).ContinueWith(_ => { ChildProcess.KillAll(); Environment.Exit(130); }, TaskScheduler.Default);
        }
        else
        {
            ChildProcess.KillAll();
            Environment.Exit(130);
        }
    }
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    var ct = stop.Token;

    BenchPaths paths;
    try
    {
        paths = BenchPaths.Resolve(o);
    }
    catch (BenchException ex)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return 2;
    }
    var failed = false;
    try
    {
        var machine = await MachineInfo.CollectAsync(ct);
        var header = await HeaderAsync(o, paths, machine, ct);
        Emit(o, header);
        FakeApiCapacity.Result? capacity = null;
        foreach (var scenario in o.Scenarios)
        {
            Console.Error.WriteLine($"agentbench: scenario {scenario} (load average {MachineInfo.LoadAverage()})");
            try
            {
                switch (scenario)
                {
                    case BenchPaths.FakeApi:
                        var (markdown, result) = await FakeApiCapacity.RunAsync(o, machine, ct);
                        capacity = result;
                        Emit(o, markdown);
                        break;
                    case BenchPaths.OneMember:
                        Emit(o, await OneMemberScenario.RunAsync(o, paths, machine, capacity, ct));
                        break;
                    case BenchPaths.ManyMembers:
                        Emit(o, await ManyMembersScenario.RunAsync(o, paths, machine, ct));
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failed = true;
                Emit(o, $"### Scenario {scenario} FAILED\n\n```\n{ex}\n```\n");
            }
        }
        return failed ? 1 : 0;
    }
    catch (OperationCanceledException) when (ct.IsCancellationRequested)
    {
        Console.Error.WriteLine("agentbench: interrupted; the report above is what was finished");
        return 130;
    }
    finally
    {
        ChildProcess.KillAll();
        if (failed || o.KeepLogs || ct.IsCancellationRequested) Console.Error.WriteLine($"agentbench: logs kept in {paths.Work}");
        else
            try { Directory.Delete(paths.Work, recursive: true); } catch (IOException) { }
    }
}

static async Task<string> HeaderAsync(BenchOptions o, BenchPaths paths, MachineInfo machine, CancellationToken ct)
{
    var sb = new StringBuilder();
    var commit = (await Tool.RunAsync("git", ["rev-parse", "--short", "HEAD"], ct, paths.Root))?.Trim();
    var dirty = (await Tool.RunAsync("git", ["status", "--porcelain", "--", "src"], ct, paths.Root))?.Trim();
    var dll = paths.Relative(Environment.GetCommandLineArgs()[0]);
    sb.AppendLine($"## FleetL4 agent benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
    sb.AppendLine();
    sb.AppendLine($"- Machine: {machine.Describe()}; load average at the start {MachineInfo.LoadAverage()}");
    sb.AppendLine($"- Command: `dotnet {dll}{(o.Args.Count == 0 ? "" : " " + string.Join(' ', o.Args))}` (built with `dotnet build FleetL4.sln -c Release`)");
    sb.AppendLine($"- Code: git {commit ?? "?"}{(string.IsNullOrEmpty(dirty) ? "" : " with uncommitted changes in src/ (" + string.Join(", ", dirty.Split('\n').Select(l => l.Trim()).Take(6)) + ")")}; "
        + $"hub {paths.Relative(paths.HubDll)} built {File.GetLastWriteTimeUtc(paths.HubDll):yyyy-MM-dd HH:mm} UTC, agent {paths.Relative(paths.AgentDll)} built {File.GetLastWriteTimeUtc(paths.AgentDll):yyyy-MM-dd HH:mm} UTC");
    sb.AppendLine("- Everything on 127.0.0.1; CPU as % of one core from /proc/PID/stat; \"machine busy\" from /proc/stat (other processes = machine minus the measured ones and the bench process)");
    return sb.ToString();
}

static void Emit(BenchOptions o, string markdown)
{
    Console.WriteLine(markdown);
    Console.Out.Flush();
    if (o.OutputPath is { } path) File.AppendAllText(path, markdown + Environment.NewLine);
}

static Option<int> Positive(string name, int defaultValue, string description)
{
    var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
    option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} must be at least 1"); });
    return option;
}

static Option<int> NonNegative(string name, int defaultValue, string description)
{
    var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
    option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError($"{name} must be 0 or more"); });
    return option;
}
