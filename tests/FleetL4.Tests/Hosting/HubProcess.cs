using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FleetL4.Tests.Hosting;

/// <summary>The hub silo as a real child process (dotnet FleetL4.Silo.dll) on free loopback ports.</summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubProcess(Process process, int gatewayPort, int dashboardPort, int apiPort)
    {
        _process = process;
        GatewayPort = gatewayPort;
        DashboardPort = dashboardPort;
        ApiPort = apiPort;
    }

    public int GatewayPort { get; }

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

    private static int _instances;

    /// <summary>Each hub gets its own frontend pool (127.0.11x.0/24), so hubs started by parallel tests never collide.</summary>
    public static Task<HubProcess> StartAsync(params string[] extraArgs) => StartOnAsync((FreePort(), FreePort(), FreePort(), FreePort()), extraArgs);

    /// <summary>Starts a hub on given ports, e.g. the ports of a hub that was just killed (a hub restart).</summary>
    public static async Task<HubProcess> StartOnAsync((int Silo, int Gateway, int Dashboard, int Api) ports, params string[] extraArgs)
    {
        var (silo, gateway, dashboard, api) = ports;
        var pool = $"--FleetL4:FrontendPool=127.0.{110 + Interlocked.Increment(ref _instances) % 40}.0/24";
        extraArgs = [pool, .. extraArgs];
        var dll = Path.Combine(AppContext.BaseDirectory, "FleetL4.Silo.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, $"--Hub:SiloPort={silo}", $"--Hub:GatewayPort={gateway}", $"--Hub:DashboardUrl=http://127.0.0.1:{dashboard}",
                     $"--Hub:ApiUrl=http://127.0.0.1:{api}" }.Concat(extraArgs))
            psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var hub = new HubProcess(process, gateway, dashboard, api) { SiloPort = silo };
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

    /// <summary>Sends SIGTERM (what Ctrl+C's SIGINT and a container stop both lead to) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
