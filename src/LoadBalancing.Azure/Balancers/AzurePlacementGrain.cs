using System.Text.Json.Nodes;
using FleetL4.LoadBalancing.Azure.Arm;
using FleetL4.LoadBalancing.Azure.Budget;
using FleetL4.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>
/// Keeps <see cref="LoadBalancerPlacement"/> across silo loss; names come from FleetL4:Azure:LoadBalancerName. Once
/// per activation (a hub start; each silo's startup asks), after OrphanGracePeriod, it sweeps the resource group for
/// what a crash left behind: every shared LB of ours is told to reconcile (its grain removes unclaimed parts, even if
/// no MCS on it came back), and tagged public IPs of no assigned MCS that no frontend references are deleted.
/// </summary>
public sealed class AzurePlacementGrain(
    [PersistentState("azure-placement", StorageNames.Fleet)] IPersistentState<LoadBalancerPlacement> state,
    ArmGateway arm,
    IOptions<AzureOptions> options,
    TimeProvider clock,
    ILogger<AzurePlacementGrain> logger) : Grain, IAzurePlacementGrain
{
    private readonly AzureOptions _options = options.Value;
    private TurnTimer? _sweep;
    private DateTimeOffset _startedAt;
    private bool _swept;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _startedAt = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public async Task<(string LoadBalancer, string? Before)> Assign(string mcsId, bool isInternal, int rules)
    {
        var had = state.State.Assigned.GetValueOrDefault(mcsId);
        var (now, before) = state.State.Assign(mcsId, isInternal, rules, _options.MaxFrontendsPerLoadBalancer, _options.MaxRulesPerLoadBalancer);
        if (had != state.State.Assigned[mcsId]) await state.WriteStateAsync();
        return (Name(now), before is { } b ? Name(b) : null);
    }

    public async Task<string?> Release(string mcsId)
    {
        var held = state.State.Release(mcsId);
        if (held is null) return null;
        await state.WriteStateAsync();
        return Name(held.Value);
    }

    public Task<string?> Find(string mcsId) =>
        Task.FromResult(state.State.Assigned.TryGetValue(mcsId, out var a) ? Name((a.Internal, a.Index)) : null);

    public Task SweepOrphans()
    {
        if (_sweep is null && !_swept)
        {
            _sweep = new TurnTimer(this, clock, _ => Sweep());
            _sweep.Schedule(Max(TimeSpan.Zero, _startedAt + _options.OrphanGracePeriod - clock.GetUtcNow()));
        }
        return Task.CompletedTask;
    }

    private IArmWriteBudgetGrain Budget => GrainFactory.GetGrain<IArmWriteBudgetGrain>(_options.SubscriptionId!);

    /// <summary>One pass; it resumes later (not periodic) only when the budget or a failure stops it.</summary>
    private async Task Sweep()
    {
        try
        {
            if (await Budget.ParkedUntil() is { } parked) { _sweep!.Schedule(Max(TimeSpan.Zero, parked - clock.GetUtcNow())); return; }
            var network = ArmIds.Network(_options);
            var lbs = await arm.ListAsync($"{network}/loadBalancers", CancellationToken.None);
            var ips = await arm.ListAsync($"{network}/publicIPAddresses", CancellationToken.None);
            foreach (var lb in lbs)
                if (lb["name"]?.GetValue<string>() is { } name && AzureNames.IsSharedLoadBalancer(_options.LoadBalancerName, name))
                    await GrainFactory.GetGrain<IAzureLoadBalancerGrain>(name).Sweep(_startedAt);

            var referenced = lbs.SelectMany(lb => lb["properties"]?["frontendIPConfigurations"]?.AsArray() ?? [])
                .Select(f => f?["properties"]?["publicIPAddress"]?["id"]?.GetValue<string>()).OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var ip in ips)
            {
                if (!IsOrphan(ip, referenced)) continue;
                if (await Budget.TryTake() is var wait && wait > TimeSpan.Zero) { _sweep!.Schedule(wait); return; }
                var id = ip["id"]!.GetValue<string>();
                logger.LogInformation("Deleting public IP {Id}: its MCS {Mcs} is gone and no frontend uses it", id, ip["tags"]![AzureNames.McsTag]);
                await arm.DeleteAsync(id, CancellationToken.None);
            }
            _swept = true;
            _sweep = null;
        }
        catch (Exception ex) when (ex is ArmException or HttpRequestException or TaskCanceledException or IOException)
        {
            if (ex is ArmException { IsSubscriptionThrottle: true, RetryAfter: var after })
                await Budget.Park(clock.GetUtcNow() + (after ?? _options.RetryMax));
            logger.LogWarning("Orphan sweep of {Group} failed ({Error}); trying again in {Delay}", _options.ResourceGroup, ex.Message, _options.RetryMax);
            _sweep!.Schedule(_options.RetryMax);
        }
    }

    /// <summary>Tagged as ours, of an MCS placed nowhere, and not on any frontend (Azure refuses to delete an IP in use).</summary>
    private bool IsOrphan(JsonObject ip, HashSet<string> referenced) =>
        ip["tags"]?[AzureNames.McsTag]?.GetValue<string>() is { } mcs
        && !state.State.Assigned.ContainsKey(mcs)
        && ip["id"]?.GetValue<string>() is { } id && !referenced.Contains(id)
        && ip["properties"]?["ipConfiguration"] is null;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private string Name((bool Internal, int Index) place) => AzureNames.LoadBalancer(_options.LoadBalancerName, place.Internal, place.Index);
}
