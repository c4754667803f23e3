using FleetL4.Client;

namespace FleetL4.Tests.Infrastructure;

/// <summary>A test hub with a short lease, its API on a loopback socket, and a client of that API.</summary>
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

    public static async Task<ApiHub> StartAsync(TimeSpan heartbeat, int missedHeartbeats)
    {
        var hub = await FleetTestCluster.StartAsync(o =>
        {
            o.HeartbeatInterval = heartbeat;
            o.MissedHeartbeats = missedHeartbeats;
        });
        return new ApiHub(hub, await HubApiHost.StartAsync(hub.Grains));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
