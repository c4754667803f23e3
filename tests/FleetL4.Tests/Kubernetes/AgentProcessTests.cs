using System.Diagnostics;
using FleetL4.Client;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>`fleetl4 agent` as a process: a hub process, a fake member API server, and the command in between.</summary>
public sealed class AgentProcessTests
{
    [Fact]
    public async Task The_agent_command_syncs_a_member_into_the_hub_and_writes_status_back()
    {
        var workDir = Directory.CreateTempSubdirectory("fleetl4-agent-cmd-").FullName;
        await using var hub = await HubProcess.StartAsync("--FleetL4:Provider=InMemory");
        await using var api = new FakeKubernetesApiServer();
        await api.StartAsync();
        var kubeconfig = api.WriteKubeconfig(workDir, "cmd-member");
        await using var agent = AgentProcess.Start("--kubeconfig", kubeconfig, "--cluster", "cmd-member",
            "--hub", hub.ApiUrl, "--label", "fleet.azure.com/location=eastus");
        try
        {
            api.ApplyYaml(MemberHarness.Workload("web"));
            api.ApplyYaml(MemberHarness.Slice("web", "kuard-1", "10.10.0.1", "10.10.0.2"));
            api.ApplyYaml(MemberHarness.Mcs("web"));

            using var fleet = hub.Client();
            var mcs = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("cmd-member", "web", "kuard"),
                m => m.ExternalIp is not null && m.Backends.Count == 2, "MCS served through the agent process", TimeSpan.FromSeconds(60));
            var labels = (await fleet.GetMemberClusterAsync("cmd-member")).Labels;
            Assert.Equal("eastus", labels["fleet.azure.com/location"]);
            await Eventually.True(() => api.Get("multiclusterservices", "web", "kuard")?["status"]?["loadBalancer"]?["ingress"]?.AsArray().Count == 1,
                "status written back by the agent process", TimeSpan.FromSeconds(30));
            Assert.Equal(mcs.ExternalIp, api.Get("multiclusterservices", "web", "kuard")!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!.GetValue<string>());

            // The agent's status stream is open: the hub still stops cleanly, and at once, on SIGTERM.
            var stop = Stopwatch.StartNew();
            Assert.Equal(0, await hub.TerminateAsync(TimeSpan.FromSeconds(30)));
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(10), $"the hub took {stop.Elapsed} to stop with a status stream open");
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }
}
