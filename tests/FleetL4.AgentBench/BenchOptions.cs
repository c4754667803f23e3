namespace FleetL4.AgentBench;

/// <summary>The benchmark's parameters (see Program.cs for flags and defaults).</summary>
public sealed record BenchOptions(
    IReadOnlyList<string> Scenarios,
    int Exports,
    int Namespaces,
    int IdleSeconds,
    int SettleSeconds,
    int BaselineSeconds,
    int TimeoutSeconds,
    int BookmarkSeconds,
    int Members,
    int ExportsPerMember,
    double ChurnPercent,
    int ChurnSeconds,
    int CapacitySeconds,
    int CapacityCallers,
    string? HubDll,
    string? AgentDll,
    string? OutputPath,
    bool KeepLogs,
    IReadOnlyList<string> Args);

/// <summary>Where the repository, the hub and the agent are, and the scratch directory of this run.</summary>
public sealed record BenchPaths(string Root, string HubDll, string AgentDll, string Work)
{
    public const string OneMember = "one-member";
    public const string ManyMembers = "many-members";
    public const string FakeApi = "fake-api";

    public static BenchPaths Resolve(BenchOptions o)
    {
        var root = FindRoot(AppContext.BaseDirectory) ?? FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory;
        var hub = o.HubDll ?? Path.Combine(root, "src", "Silo", "bin", "Release", "net10.0", "FleetL4.Silo.dll");
        var agent = o.AgentDll ?? Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "fleetl4.dll");
        foreach (var (what, path) in new[] { ("hub", hub), ("agent", agent) })
            if (!File.Exists(path))
                throw new BenchException($"the {what} is not built: {path} is missing (dotnet build FleetL4.sln -c Release, or --{what}-dll)");
        return new BenchPaths(root, Path.GetFullPath(hub), Path.GetFullPath(agent), Directory.CreateTempSubdirectory("fleetl4-agentbench-").FullName);
    }

    private static string? FindRoot(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FleetL4.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>A path relative to the repository when it is inside it, else absolute.</summary>
    public string Relative(string path)
    {
        var relative = Path.GetRelativePath(Root, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative;
    }
}

/// <summary>The hub silo as a process (dotnet FleetL4.Silo.dll, InMemory provider) on free loopback ports.</summary>
public static class Hub
{
    public static async Task<(ChildProcess Process, string ApiUrl)> StartAsync(BenchPaths paths, string name, CancellationToken ct)
    {
        var ports = ChildProcess.FreePorts(4);
        var api = $"http://127.0.0.1:{ports[0]}";
        var hub = ChildProcess.Start(name, "dotnet",
            [paths.HubDll, "--FleetL4:Provider=InMemory", $"--Hub:ApiUrl={api}", $"--Hub:SiloPort={ports[1]}", $"--Hub:GatewayPort={ports[2]}",
             $"--Hub:DashboardUrl=http://127.0.0.1:{ports[3]}"],
            paths.Root, Path.Combine(paths.Work, $"{name}.log"));
        try
        {
            await hub.WaitForLineAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(120), ct);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
        return (hub, api);
    }

    /// <summary>The hub's CPU with nothing connected (after a settle time), for comparison with the idle windows; null when skipped.</summary>
    public static async Task<CpuResult?> BaselineAsync(BenchOptions o, MachineInfo machine, ChildProcess hub, CancellationToken ct)
    {
        if (o.BaselineSeconds == 0) return null;
        await Task.Delay(TimeSpan.FromSeconds(o.SettleSeconds), ct);
        var window = CpuWindow.Start(machine, (hub.Name, hub.Pid));
        await Task.Delay(TimeSpan.FromSeconds(o.BaselineSeconds), ct);
        return window.Stop();
    }

    public static void BaselineRow(Report report, CpuResult? baseline, ChildProcess hub)
    {
        if (baseline is null) return;
        report.Row($"Hub CPU with no member and no client, {baseline.Wall.TotalSeconds:0} s window after start-up (baseline)",
            $"{baseline.Describe(hub.Name)}; {baseline.DescribeMachine()}");
    }

    /// <summary>SIGTERM to a child, described for the report.</summary>
    public static async Task<string> StopAsync(ChildProcess child)
    {
        var (code, took, killed) = await child.TerminateAsync(TimeSpan.FromSeconds(15));
        return killed
            ? $"**did not stop** within {took.TotalSeconds:0.0} s of SIGTERM: killed"
            : $"exit code {code}{(code == 143 ? " (128 + SIGTERM)" : "")} {took.TotalSeconds:0.0} s after SIGTERM";
    }
}
