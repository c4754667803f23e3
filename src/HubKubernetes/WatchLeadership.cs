using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace FleetL4.HubKubernetes;

/// <summary>
/// In a hub of several silos one runs the watch: the oldest active silo of the Orleans cluster, as its membership
/// says (no lease to renew, so an idle hub sends its API server nothing for this): the lowest generation, which is
/// the second the silo started, then the lowest address. A silo started a second or more after the leader never
/// takes over from it; when the leader leaves or dies, the next oldest leads. Silos started in the same second may
/// hand over once as they see each other, and while membership settles two may both watch for a moment, which is
/// harmless: applies and status writes are idempotent.
/// Outside a silo (a test host with a cluster client) there is no membership and this process leads.
/// </summary>
public sealed class WatchLeadership(IServiceProvider services, ILogger<WatchLeadership> logger)
{
    /// <summary>Waits until this silo leads; the lead's token is cancelled when it no longer does.</summary>
    public async Task<Lead> LeadAsync(CancellationToken ct)
    {
        var membership = services.GetService<IClusterMembershipService>();
        var local = services.GetService<ILocalSiloDetails>()?.SiloAddress;
        if (membership is null || local is null) return new Lead(CancellationTokenSource.CreateLinkedTokenSource(ct), null);
        if (!Leads(membership.CurrentSnapshot, local))
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(ct))
                if (Leads(snapshot, local)) break;
        ct.ThrowIfCancellationRequested();
        logger.LogInformation("Silo {Silo} is the oldest active one: it watches the hub's Kubernetes API server", local);
        var lead = CancellationTokenSource.CreateLinkedTokenSource(ct);
        return new Lead(lead, Task.Run(async () =>
        {
            try
            {
                await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(lead.Token))
                    if (!Leads(snapshot, local))
                    {
                        logger.LogInformation("Silo {Silo} no longer leads: it stops watching", local);
                        await lead.CancelAsync();
                        return;
                    }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None));
    }

    /// <summary>The oldest silo among the active ones is this one.</summary>
    private static bool Leads(ClusterMembershipSnapshot snapshot, SiloAddress local) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)
            .OrderBy(a => a.Generation).ThenBy(a => a).FirstOrDefault() is { } oldest && oldest.Equals(local);

    /// <summary>This process's turn at watching, until <see cref="Token"/> is cancelled.</summary>
    public sealed class Lead(CancellationTokenSource source, Task? monitor) : IAsyncDisposable
    {
        public CancellationToken Token => source.Token;

        public async ValueTask DisposeAsync()
        {
            await source.CancelAsync();
            if (monitor is not null) await monitor;
            source.Dispose();
        }
    }
}
