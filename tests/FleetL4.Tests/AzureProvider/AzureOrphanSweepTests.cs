using System.Text.Json.Nodes;
using FleetL4.FakeArm;
using FleetL4.LoadBalancing.Azure;
using FleetL4.Models;
using FleetL4.Tests.Azure;
using FleetL4.Tests.Infrastructure;
using static FleetL4.Tests.AzureProvider.AzureProviderTests;

namespace FleetL4.Tests.AzureProvider;

/// <summary>The one sweep after a hub start: what a crash left in the resource group, and no MCS claims, goes.</summary>
public sealed class AzureOrphanSweepTests
{
    [Fact]
    public async Task After_a_restart_an_orphan_public_IP_and_a_load_balancer_no_MCS_came_back_to_are_removed_and_an_assigned_MCS_keeps_its_IP()
    {
        await using var arm = await FakeArmServer.StartAsync();
        await using (var hub = await AzureHub.StartAsync(arm))
        {
            await SeedPublicAndInternal(hub);
        }
        Assert.NotNull(Internal(arm));
        // As a crash between a public IP's PUT and its frontend's write leaves it: tagged, used by nothing.
        var orphanId = arm.PublicIpId("fl4-crashed-ns-svc-0123456789");
        using (var raw = new RawArm(arm))
        {
            var body = ArmBodies.PublicIp(arm);
            body["tags"] = new JsonObject { [AzureNames.McsTag] = "crashed/ns/svc" };
            await raw.PutAndWait(orphanId, body);
        }
        Assert.Equal(2, PublicIps(arm).Length);

        // A fresh hub (memory state lost) where only aks-member-1's MCS comes back: nothing activates the internal LB's grain.
        await using (var hub = await AzureHub.StartAsync(arm, configure: s => s["FleetL4:Azure:OrphanGracePeriod"] = "00:00:02"))
        {
            var ip = (await SeedMcs(hub)).ExternalIp;
            await Eventually.True(() => arm.Get(orphanId) is null && Internal(arm) is null, "orphan public IP and internal LB removed", TimeSpan.FromSeconds(30));
            var kept = Assert.Single(PublicIps(arm));
            Assert.Equal(Mcs, kept["tags"]![AzureNames.McsTag]!.GetValue<string>());
            Assert.Equal(ip, kept["properties"]!["ipAddress"]!.GetValue<string>());
            Assert.Equal(ip, (await InSync(hub)).ExternalIp);
            Assert.Empty(arm.Violations);
        }
    }

    private static JsonObject? Internal(FakeArmServer arm) => arm.Get(arm.LoadBalancerId("fleetl4-internal"));
}
