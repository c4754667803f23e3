using System.Diagnostics;
using System.Globalization;
using System.Text;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Hosting;

/// <summary>The hub silo as a real child process (dotnet FleetL4.Silo.dll from src/Silo's own build output) on free
/// loopback ports, with a frontend pool (<see cref="FrontendPool"/>) no other process on this machine uses.</summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubProcess(Process process, LoopbackBlock frontendPool, int gatewayPort, int dashboardPort, int apiPort)
    {
        _process = process;
        FrontendPool = frontendPool;
        GatewayPort = gatewayPort;
        DashboardPort = dashboardPort;
        ApiPort = apiPort;
    }

    public int GatewayPort { get; }

    /// <summary>FleetL4:FrontendPool of this hub: MCS addresses come from here.</summary>
    public LoopbackBlock FrontendPool { get; }

    /// <summary>The hub API (plain text on loopback unless the test configured TLS).</summary>
    public int ApiPort { get; }

    public string ApiUrl => $"http://127.0.0.1:{ApiPort}";

    /// <summary>The ports to start the same hub on again.</summary>
    public (int Silo, int Gateway, int Dashboard, int Api) Ports => (SiloPort, GatewayPort, DashboardPort, ApiPort);

    /// <summary>A client of this hub's API (the loopback admin).</summary>
    public FleetL4.Client.FleetClient Client() => new(new FleetL4.Client.HubConnectionOptions { Hubs = [new Uri(ApiUrl)] });
    public int SiloPort { get; private init; }
    public int DashboardPort { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Each hub gets its own frontend pool (a reserved <see cref="LoopbackBlock"/>), so hubs started by parallel
    /// tests, another test run or a --demo hub never collide.</summary>
    public static Task<HubProcess> StartAsync(params string[] extraArgs) => StartOnAsync(FreePorts(), extraArgs);

    /// <summary>Runs a hub that should stop by itself (a bad setting, a demo that cannot run) to its exit, on free
    /// ports and a frontend pool of its own (unless <paramref name="extraArgs"/> set them).</summary>
    public static Task<ProcessRunner.Result> RunToExitAsync(params string[] extraArgs) =>
        ProcessRunner.Run("env", Arguments(FreePorts(), LoopbackBlock.Reserve(), extraArgs));

    /// <summary>Distinct free ports for <paramref name="silos"/> silos of one hub.</summary>
    public static (int Silo, int Gateway, int Dashboard, int Api)[] FreePortSets(int silos)
    {
        var p = LoopbackBlock.FreePorts(4 * silos);
        return [.. Enumerable.Range(0, silos).Select(i => (p[4 * i], p[4 * i + 1], p[4 * i + 2], p[4 * i + 3]))];
    }

    private static (int, int, int, int) FreePorts()
    {
        var p = LoopbackBlock.FreePorts(4);
        return (p[0], p[1], p[2], p[3]);
    }

    /// <summary>Arguments of `env` that start the hub. SIGINT goes back to its default: a test run started in the
    /// background (CI, `&amp;`) ignores SIGINT, children inherit that, and .NET then leaves it ignored; the hub should see
    /// Ctrl+C as it does in a terminal. Later arguments win, so <paramref name="extraArgs"/> override these settings.</summary>
    private static string[] Arguments((int Silo, int Gateway, int Dashboard, int Api) ports, LoopbackBlock pool, string[] extraArgs) =>
    [
        "--default-signal=INT", "dotnet", BuiltExecutable.Find("Silo", "FleetL4.Silo.dll"),
        $"--Hub:SiloPort={ports.Silo}", $"--Hub:GatewayPort={ports.Gateway}", $"--Hub:DashboardUrl=http://127.0.0.1:{ports.Dashboard}",
        $"--Hub:ApiUrl=http://127.0.0.1:{ports.Api}", $"--Hub:HealthUrl=http://127.0.0.1:{HealthPort(ports)}",
        $"--FleetL4:FrontendPool={pool.Cidr}", .. extraArgs,
    ];

    /// <summary>A free port for Hub:HealthUrl (its default, 9464, would collide between hubs of parallel tests) that is
    /// none of the others: they were free when chosen and are released, so the kernel may hand one out again.</summary>
    private static int HealthPort((int Silo, int Gateway, int Dashboard, int Api) ports)
    {
        while (true)
        {
            var port = LoopbackBlock.FreePort();
            if (port != ports.Silo && port != ports.Gateway && port != ports.Dashboard && port != ports.Api) return port;
        }
    }

    /// <summary>Starts a hub with extra environment variables (e.g. SSL_CERT_FILE: the system's trusted roots).</summary>
    public static Task<HubProcess> StartWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] extraArgs) =>
        StartOnAsync(FreePorts(), environment, extraArgs);

    /// <summary>Starts a hub on given ports, e.g. the ports of a hub that was just killed (a hub restart).</summary>
    public static Task<HubProcess> StartOnAsync((int Silo, int Gateway, int Dashboard, int Api) ports, params string[] extraArgs) =>
        StartOnAsync(ports, new Dictionary<string, string>(), extraArgs);

    private static async Task<HubProcess> StartOnAsync((int Silo, int Gateway, int Dashboard, int Api) ports, IReadOnlyDictionary<string, string> environment, string[] extraArgs)
    {
        var (silo, gateway, dashboard, api) = ports;
        var pool = LoopbackBlock.Reserve();
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Arguments(ports, pool, extraArgs)) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var process = new Process { StartInfo = psi };
        var hub = new HubProcess(process, pool, gateway, dashboard, api) { SiloPort = silo };
        process.OutputDataReceived += (_, e) => hub.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => hub.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(hub._up.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != hub._up.Task)
        {
            await hub.DisposeAsync();
            throw new InvalidOperationException($"hub did not come up:\n{hub.Output}");
        }
        return hub;
    }

    /// <summary>Sends SIGTERM (what a container stop and `kill` send) and waits for the exit code.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout) => SignalAsync("TERM", timeout);

    /// <summary>Sends SIGINT (what Ctrl+C in a terminal sends) and waits for the exit code.</summary>
    public Task<int> InterruptAsync(TimeSpan timeout) => SignalAsync("INT", timeout);

    private async Task<int> SignalAsync(string signal, TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the hub did not exit within {timeout.TotalSeconds:0} s of SIG{signal}:\n{Output}");
        }
        return _process.ExitCode;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal)) _up.TrySetResult(); // last line of the banner
    }
}
