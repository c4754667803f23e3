using FleetL4.Client;
using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Hosting;

/// <summary>
/// A hub of two silo processes on Azure Storage (Azurite): Azure Table membership and reminders, grain state in blobs.
/// Killing every silo (SIGKILL) and starting them again loses nothing a user sees.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class AzureStorageHubTests : IAsyncLifetime
{
    // Orleans' default membership settings: a call can wait for a killed silo's response timeout (30 s) before it is
    // retried elsewhere. Tuning that bound is issue 12's fault-test work.
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Every_grains_state_survives_a_kill_of_every_silo()
    {
        const string ns = "durable";
        var id = $"fleetl4-test-{Guid.NewGuid():N}"[..24];
        var pool = LoopbackBlock.Reserve();
        string[] settings =
        [
            "--Hub:Clustering=AzureStorage", "--Hub:Storage=AzureStorage", $"--Hub:AzureStorage:ConnectionString={_azurite.ConnectionString}",
            $"--Hub:ClusterId={id}", $"--Hub:ServiceId={id}", $"--FleetL4:FrontendPool={pool.Cidr}", "--FleetL4:Provider=InMemory",
            "--Hub:Dashboard=false",
        ];
        var ports = LoopbackBlock.FreePorts(8);
        var silos = new[] { (ports[0], ports[1], ports[2], ports[3]), (ports[4], ports[5], ports[6], ports[7]) };

        MultiClusterServiceView mcs;
        ServiceExportView winner, loser;
        var hubs = await StartAll(silos, settings);
        try
        {
            using var fleet = Client(hubs);
            await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs, isVirtual: true);
            await fleet.JoinClusterAsync("aks-member-2", Seed.WestUs, isVirtual: true);
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.90.0.1")));
            await fleet.ReportServiceExportAsync("aks-member-2", Seed.Export(ns, Seed.T0.AddMinutes(5), Seed.Ready("10.90.1.1"),
                Seed.Kuard(new ServicePort("http", "TCP", 9999))));
            await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
            mcs = await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard"),
                m => m.ExternalIp is not null && m.LoadBalancerInSync, "MCS served");
            winner = await fleet.GetServiceExportAsync("aks-member-1", ns, "kuard");
            loser = await Eventually.Get(() => fleet.GetServiceExportAsync("aks-member-2", ns, "kuard"),
                e => Condition(e, ConditionTypes.Conflict) == "True", "the newer export loses the conflict");
            Assert.StartsWith(pool.Prefix + ".", mcs.ExternalIp);
        }
        finally
        {
            foreach (var hub in hubs) await hub.DisposeAsync(); // SIGKILL: nothing is flushed on the way out
        }

        hubs = await StartAll(silos, settings);
        try
        {
            using var fleet = Client(hubs);
            var restarted = System.Diagnostics.Stopwatch.StartNew();
            // Until the killed silos are declared dead, a call may land on one of them: retried, as a client would.
            var member = await Eventually.Get(() => Answer(() => fleet.GetMemberClusterAsync("aks-member-2")), m => m is not null, "the hub answers", Recovery)
                ?? throw new InvalidOperationException("unreachable");
            Assert.True(member.Joined);
            Assert.Equal("westus", member.Labels["fleet.azure.com/location"]);
            var again = (await Eventually.Get(() => Answer(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard")),
                m => m?.LoadBalancerInSync == true, "MCS in sync after the restart", Recovery))!;
            Console.WriteLine($"every grain answered {restarted.Elapsed.TotalSeconds:0.0} s after the silos were up again");
            Assert.Equal(mcs.ExternalIp, again.ExternalIp);
            Assert.Equal(mcs.CreationTimestamp, again.CreationTimestamp);
            var winnerAgain = await fleet.GetServiceExportAsync("aks-member-1", ns, "kuard");
            var loserAgain = await fleet.GetServiceExportAsync("aks-member-2", ns, "kuard");
            Assert.Equal((winner.CreationTimestamp, loser.CreationTimestamp), (winnerAgain.CreationTimestamp, loserAgain.CreationTimestamp));
            Assert.Equal(ConditionSet.Find(winner.Conditions, ConditionTypes.Conflict), ConditionSet.Find(winnerAgain.Conditions, ConditionTypes.Conflict));
            Assert.Equal(ConditionSet.Find(loser.Conditions, ConditionTypes.Conflict), ConditionSet.Find(loserAgain.Conditions, ConditionTypes.Conflict));
            Assert.Equal(["aks-member-1"], (await fleet.GetServiceImportAsync(ns, "kuard")).Exports.Where(e => e.State == "Active").Select(e => e.Cluster));
        }
        catch
        {
            foreach (var hub in hubs) Console.WriteLine($"--- silo {hub.SiloPort}:\n{hub.Output}");
            throw;
        }
        finally
        {
            foreach (var hub in hubs) await hub.DisposeAsync();
        }
    }

    private static async Task<HubProcess[]> StartAll((int, int, int, int)[] silos, string[] settings) =>
        await Task.WhenAll(silos.Select(ports => HubProcess.StartOnAsync(ports, settings)));

    private static FleetClient Client(HubProcess[] hubs) => new(new HubConnectionOptions { Hubs = [.. hubs.Select(h => new Uri(h.ApiUrl))] });

    /// <summary>The answer, or null while the hub says a silo is unavailable.</summary>
    private static async Task<T?> Answer<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (HubUnreachableException)
        {
            return null;
        }
    }

    private static string? Condition(ServiceExportView export, string type) => ConditionSet.Find(export.Conditions, type)?.Status;
}
