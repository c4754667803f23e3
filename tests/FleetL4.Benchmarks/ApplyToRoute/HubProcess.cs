using FleetL4.Client;

namespace FleetL4.Benchmarks.ApplyToRoute;

/// <summary>
/// One hub as a process (src/Silo, built): the shipped defaults (Local provider, so MCS frontends really listen)
/// except its own free loopback ports, its own frontend pool and the settings named in <see cref="Settings"/>.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private HubProcess(string name, ChildProcess process, Uri url, IReadOnlyList<string> settings)
    {
        Name = name;
        _process = process;
        Url = url;
        Settings = settings;
        Client = new FleetClient(new HubConnectionOptions { Hubs = [url] });
    }

    public string Name { get; }
    public Uri Url { get; }

    /// <summary>The settings that differ from the shipped defaults (as command-line arguments), for the report.</summary>
    public IReadOnlyList<string> Settings { get; }

    public FleetClient Client { get; }
    public int Pid => _process.Process.Id;
    public string LogPath => _process.LogPath;

    /// <param name="settings">FleetL4 settings beyond the ports, e.g. --FleetL4:FrontendPool=127.0.80.0/24.</param>
    public static async Task<HubProcess> StartAsync(string name, string siloDll, IReadOnlyList<string> settings, string logFolder, CancellationToken ct)
    {
        var (api, dashboard, silo, gateway) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var url = new Uri($"http://127.0.0.1:{api}");
        string[] ports =
        [
            $"--Hub:ApiUrl={url}", $"--Hub:DashboardUrl=http://127.0.0.1:{dashboard}", $"--Hub:SiloPort={silo}", $"--Hub:GatewayPort={gateway}",
        ];
        var process = ChildProcess.StartDotnet(siloDll, [.. ports, .. settings], Path.Combine(logFolder, $"hub-{name}.log"), "FleetL4 hub is up");
        var hub = new HubProcess(name, process, url, settings);
        try
        {
            await process.WaitReadyAsync(TimeSpan.FromSeconds(120), ct);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }
}
