using FleetL4.Client;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>The hub process dies and a new one (with empty memory) comes up: the agent rejoins and resyncs everything.</summary>
public sealed class HubRestartTests
{
    [Fact]
    public async Task After_a_hub_restart_the_agent_rejoins_and_resends_the_latest_state()
    {
        var workDir = Directory.CreateTempSubdirectory("fleetl4-restart-").FullName;
        string[] args = ["--FleetL4:Provider=InMemory"];
        var hub = await HubProcess.StartAsync(args);
        var ports = hub.Ports;
        try
        {
            using var fleet = hub.Client();
            await using var m = await MemberHarness.StartAsync("restart-member", fleet, workDir);
            m.Apply(MemberHarness.Workload("web"));
            m.Apply(MemberHarness.Slice("web", "kuard-1", "10.9.0.1"));
            m.Apply(MemberHarness.Mcs("web"));
            await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("restart-member", "web", "kuard"),
                v => v.ExternalIp is not null && v.Backends.Count == 1, "MCS served before the restart", TimeSpan.FromSeconds(30));

            // The hub goes away; the member changes meanwhile; a new hub with empty state takes its place.
            await hub.DisposeAsync();
            m.Apply(MemberHarness.Slice("web", "kuard-1", "10.9.0.1", "10.9.0.2"));
            hub = await HubProcess.StartOnAsync(ports, args);

            var mcs = await Eventually.Get(async () =>
                {
                    try { return await fleet.GetMultiClusterServiceAsync("restart-member", "web", "kuard"); }
                    catch (Exception) { return null; } // while the client reconnects
                },
                v => v is { ExternalIp: not null } && v.Backends.Count == 2, "MCS rebuilt by the agent after the restart", TimeSpan.FromSeconds(60));
            Assert.Equal(["10.9.0.1", "10.9.0.2"], mcs!.Backends.Select(b => b.Address).Order());
            Assert.True((await fleet.GetMemberClusterAsync("restart-member")).Joined);
        }
        finally
        {
            await hub.DisposeAsync();
            Directory.Delete(workDir, recursive: true);
        }
    }
}
