using System.Net;
using FleetL4.Client;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Hosting;

/// <summary>The real hub process: clients reach it over its gateway, the dashboard answers, SIGTERM and SIGINT (Ctrl+C) stop it cleanly.</summary>
public sealed class HubProcessTests
{
    [Fact]
    public async Task Hub_process_serves_clients_and_the_dashboard_and_stops_cleanly()
    {
        await using var hub = await HubProcess.StartAsync();
        Assert.Contains($"Orleans dashboard: http://127.0.0.1:{hub.DashboardPort}/dashboard/", hub.Output.Split(Environment.NewLine));

        using (var fleet = hub.Client())
        {
            await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export("kuard-demo", Seed.T0, Seed.Ready("10.1.0.1", "10.1.0.2")));
            await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs("kuard-demo"));
            var mcs = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", "kuard-demo", "kuard"),
                m => m.ExternalIp is not null && m.Backends.Count == 2, "MCS with IP and 2 backends");
            Assert.Equal(hub.FrontendPool.Address(1), mcs.ExternalIp); // the lowest address of the hub's own pool
        }

        using var http = new HttpClient();
        var dashboard = await http.GetAsync($"http://127.0.0.1:{hub.DashboardPort}/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await dashboard.Content.ReadAsStringAsync());

        Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Application is shutting down...", hub.Output);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_hub_cleanly()
    {
        await using var hub = await HubProcess.StartAsync();
        // SIGINT, what Ctrl+C sends: the host shuts down and exits 0 (a default SIGINT would kill it with 130).
        Assert.Equal(0, await hub.InterruptAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Application is shutting down...", hub.Output);
    }

    [Fact]
    public async Task Calling_a_hub_that_is_not_there_fails_with_a_message_naming_it()
    {
        using var fleet = new FleetClient(HubConnectionOptions.Resolve($"127.0.0.1:{LoopbackBlock.FreePort()},127.0.0.1:1"));
        var ex = await Assert.ThrowsAsync<HubUnreachableException>(() => fleet.ListMemberClustersAsync());
        Assert.Contains("127.0.0.1:1", ex.Message);
        Assert.Contains("is it running?", ex.Message);
    }

    [Fact]
    public async Task A_client_fails_over_to_the_next_hub_of_its_list_and_stays_there()
    {
        await using var hub = await HubProcess.StartAsync();
        // The first URL refuses connections (nothing listens there); the second is the hub.
        using var fleet = new FleetClient(HubConnectionOptions.Resolve($"127.0.0.1:{LoopbackBlock.FreePort()},{hub.ApiUrl}"));
        await fleet.JoinClusterAsync("failover-member", Seed.EastUs, isVirtual: true);
        Assert.True((await fleet.GetMemberClusterAsync("failover-member")).Joined);
        Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(30)));
    }
}
