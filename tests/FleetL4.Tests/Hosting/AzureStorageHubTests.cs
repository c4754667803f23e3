using FleetL4.Client;
using FleetL4.Domain;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FleetL4.Tests.Hosting;

/// <summary>
/// A hub of three silo processes on Azure Storage (Azurite): Azure Table membership and reminders, grain state in blobs.
/// Killing every silo (SIGKILL) and starting them again one at a time, each by itself, loses nothing a user sees.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class AzureStorageHubTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Generous for a loaded 2-core machine: once the silos are up, the dead entries are already declared dead.
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
        var settings = _azurite.HubArguments(id, pool.Cidr);
        var silos = HubProcess.FreePortSets(3);

        MultiClusterServiceView mcs;
        ServiceExportView winner, loser;
        var hubs = await StartOneByOne(silos, settings, null);
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

        // After a full outage the membership table lists all three dead silos as Active. Each silo comes back by
        // itself, the next only once the one before is up: the first joins a table of nothing but dead entries.
        var restarted = System.Diagnostics.Stopwatch.StartNew();
        hubs = await StartOneByOne(silos, settings, restarted);
        try
        {
            using var fleet = Client(hubs);
            // Until the killed silos are declared dead, a call may land on one of them: retried, as a client would.
            var member = await Eventually.Get(() => Answer(() => fleet.GetMemberClusterAsync("aks-member-2")), m => m is not null, "the hub answers", Recovery)
                ?? throw new InvalidOperationException("unreachable");
            Assert.True(member.Joined);
            Assert.Equal("westus", member.Labels["fleet.azure.com/location"]);
            var again = (await Eventually.Get(() => Answer(() => fleet.GetMultiClusterServiceAsync("aks-member-1", ns, "kuard")),
                m => m?.LoadBalancerInSync == true, "MCS in sync after the restart", Recovery))!;
            output.WriteLine($"every grain answered {restarted.Elapsed.TotalSeconds:0.0} s after the first silo was restarted");
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
            foreach (var hub in hubs) output.WriteLine($"--- silo {hub.SiloPort}:\n{hub.Output}");
            throw;
        }
        finally
        {
            foreach (var hub in hubs) await hub.DisposeAsync();
        }
    }

    /// <summary>Starts the silos one after another, each once the one before is up (a silo that exits while joining
    /// fails its start); with <paramref name="since"/>, prints when each was up.</summary>
    private async Task<HubProcess[]> StartOneByOne((int, int, int, int)[] silos, string[] settings, System.Diagnostics.Stopwatch? since)
    {
        var hubs = new List<HubProcess>();
        try
        {
            foreach (var ports in silos)
            {
                hubs.Add(await HubProcess.StartOnAsync(ports, settings));
                if (since is not null) output.WriteLine($"silo {hubs[^1].SiloPort} up {since.Elapsed.TotalSeconds:0.0} s after the first restart");
            }
        }
        catch
        {
            foreach (var hub in hubs) await hub.DisposeAsync();
            throw;
        }
        return [.. hubs];
    }

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
