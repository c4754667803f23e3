using FleetL4.Client;

namespace FleetL4.Tests.Infrastructure;

/// <summary>A test hub, its API on a loopback socket, and a client of that API; optionally on a clock the test moves.</summary>
public sealed class ApiHub : IAsyncDisposable
{
    private ApiHub(FleetTestCluster hub, HubApiHost api)
    {
        Hub = hub;
        Api = api;
        Client = api.Client();
    }

    public FleetTestCluster Hub { get; }
    public HubApiHost Api { get; }
    public FleetClient Client { get; }

    /// <summary>A hub with the shipped lease (10 s heartbeats, 3 missed), so no lease lapses on a busy machine.</summary>
    public static Task<ApiHub> StartAsync() => StartAsync(null);

    /// <summary>The shipped lease on <paramref name="clock"/>: the hub's grains and its status streams run on it.</summary>
    public static async Task<ApiHub> StartAsync(TimeProvider? clock)
    {
        var shipped = new FleetOptions();
        var hub = await FleetTestCluster.StartAsync(o =>
        {
            o.HeartbeatInterval = shipped.HeartbeatInterval;
            o.MissedHeartbeats = shipped.MissedHeartbeats;
        }, grainClock: clock);
        return new ApiHub(hub, await HubApiHost.StartAsync(hub.Grains, leaseClock: clock));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
