using System.Diagnostics;
using FleetL4.Client;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Hosting;

/// <summary>The real hub process: clients reach it over its gateway, the dashboard answers, SIGTERM stops it.</summary>
public sealed class HubProcessTests
{
    [Fact]
    public async Task Hub_process_serves_clients_and_the_dashboard_and_stops_cleanly()
    {
        await using var hub = await HubProcess.StartAsync();
        Assert.Contains($"http://127.0.0.1:{hub.DashboardPort}/dashboard/", hub.Output);

        await using (var connection = await FleetHubConnection.ConnectAsync($"127.0.0.1:{hub.GatewayPort}", TimeSpan.FromSeconds(20)))
        {
            var fleet = connection.Fleet;
            await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export("kuard-demo", Seed.T0, Seed.Ready("10.1.0.1", "10.1.0.2")));
            await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs("kuard-demo"));
            var mcs = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", "kuard-demo", "kuard"),
                m => m.ExternalIp is not null && m.Backends.Count == 2, "MCS with IP and 2 backends");
            Assert.StartsWith("127.0.1", mcs.ExternalIp);
        }

        using var http = new HttpClient();
        var dashboard = await http.GetAsync($"http://127.0.0.1:{hub.DashboardPort}/dashboard/");
        Assert.True(dashboard.IsSuccessStatusCode, $"dashboard answered {dashboard.StatusCode}");

        var exitCode = await hub.TerminateAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task The_demo_walks_through_the_seed_and_real_requests_reach_both_eastus_clusters()
    {
        await using var hub = await HubProcess.StartAsync("--demo");
        await Eventually.True(() => hub.Output.Contains("Ctrl+C stops the hub."), "walkthrough finished", TimeSpan.FromSeconds(60));
        var output = hub.Output;
        Assert.Contains("answered by 2 cluster(s): aks-member-1, aks-member-2", output);
        Assert.Equal(10, output.Split('\n').Count(l => l.Contains("request") && l.Contains(": 200 from addrs")));
        Assert.Matches(@"kuard\s+kuard\s+127\.0\.\d+\.\d+\s+True", output);
        Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Connecting_to_a_hub_that_is_not_there_fails_fast_with_a_clear_message()
    {
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<HubUnreachableException>(() =>
            FleetHubConnection.ConnectAsync("127.0.0.1:1", TimeSpan.FromSeconds(3)));
        Assert.Contains("127.0.0.1:1", ex.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
