using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FleetL4.LoadBalancing.Azure.Arm;
using FleetL4.LoadBalancing.Azure.Balancers;
using FleetL4.LoadBalancing.Azure.Budget;
using FleetL4.LoadBalancing.Azure.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure;

/// <summary>
/// MCS frontends on Azure Standard Load Balancers. Per MCS: a Standard static public IP (none when internal), a
/// frontend on a shared LB of its kind, an IP-based pool of the pod IPs, a TCP probe per TCP backend port and a
/// rule per port. The public IP is written here; everything on the LB goes through the grain that owns that LB,
/// which coalesces and keeps one write in flight. Names come from the MCS id, so a restart adopts what exists.
/// While ARM has the subscription parked, public-IP calls fail at once (no call, the MCS grain retries later) rather
/// than hold the MCS grain; a quota 429 on a public IP parks the whole subscription.
/// </summary>
public sealed class AzureLoadBalancerProvider(
    IGrainFactory grains, ArmGateway arm, IOptions<AzureOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    : ILoadBalancerProvider
{
    /// <summary>How long one MCS waits for its LB to take a change before its call fails (and is retried with backoff).</summary>
    public static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(30);

    private readonly AzureOptions _options = options.Value;
    private int _sweepAsked;
    private readonly ConcurrentDictionary<string, (string Id, string Address)> _publicIps = new(StringComparer.Ordinal);
    // Public IP names this silo has seen gone: an internal MCS that stays internal does not read its (absent) public
    // IP on every change. A switch (known to the placement grain on every silo) and a delete always check.
    private readonly ConcurrentDictionary<string, bool> _publicIpsGone = new(StringComparer.Ordinal);

    private IAzurePlacementGrain Placement => grains.GetGrain<IAzurePlacementGrain>(LoadBalancerPlacement.Key);
    private IAzureLoadBalancerGrain Lb(string name) => grains.GetGrain<IAzureLoadBalancerGrain>(name);
    private IArmWriteBudgetGrain Budget => grains.GetGrain<IArmWriteBudgetGrain>(_options.SubscriptionId!);

    public async Task<string> EnsureAsync(LoadBalancerSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Internal && _options.InternalSubnetId is null)
            throw new InvalidOperationException($"{AzureOptions.Section}:InternalSubnetId is not set, so no internal frontend can be made");
        if (Interlocked.Exchange(ref _sweepAsked, 1) == 0) await Placement.SweepOrphans(); // the startup may have missed it
        var name = AzureNames.ForMcs(spec.Id);
        var ports = spec.Ports.Where(p => DesiredLoadBalancer.AzureProtocol(p.Protocol) is not null).ToArray();
        var (lb, before) = await Placement.Assign(spec.Id, spec.Internal, ports.Length);
        if (before is not null)
        {
            // Switched between public and internal (or moved to a fuller LB): leave the old LB first.
            var left = await Lb(before).Remove(spec.Id);
            await WaitFor(before, spec.Id, left, cancellationToken);
        }
        string? publicIpId = null, address = null;
        if (!spec.Internal) (publicIpId, address) = await EnsurePublicIp(spec, name, cancellationToken);
        // Switched to internal: the public IP is no longer used. Staying internal, it was seen gone already.
        else await DeletePublicIp(name, cancellationToken, onlyIfNotSeenGone: before is null);

        // The address held before is kept only for an internal frontend that stays internal (a public IP is no private address).
        var keepPrivate = spec.Internal && before is null ? spec.FrontendIp : null;
        var ticket = await Lb(lb).Set(new AzureFrontendSpec(spec.Id, name, publicIpId, keepPrivate,
            ports.Select(p => new AzurePort(p.Port, p.Protocol, p.BackendPort)).ToArray(),
            spec.Backends.Select(b => b.Address).Distinct(StringComparer.Ordinal).ToArray(), spec.SessionAffinity));
        AzureFrontendResult result;
        try
        {
            result = await WaitFor(lb, spec.Id, ticket, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Perhaps the public IP was deleted behind our back: read it again on the retry (recreated if gone).
            _publicIps.TryRemove(spec.Id, out _);
            throw;
        }
        return (spec.Internal ? result.PrivateIp : address)
               ?? throw new InvalidOperationException($"load balancer {lb} holds no address for {spec.Id} yet");
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var lb = await Placement.Find(id);
        if (lb is not null)
        {
            var ticket = await Lb(lb).Remove(id);
            await WaitFor(lb, id, ticket, cancellationToken);
            await Placement.Release(id);
        }
        // After the frontend is gone: Azure refuses to delete a public IP still in use.
        await DeletePublicIp(AzureNames.ForMcs(id), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DescribeAsync(string id, CancellationToken cancellationToken)
    {
        var lb = await Placement.Find(id);
        if (lb is null) return ["Azure: no load balancer yet"];
        var status = await Lb(lb).Describe();
        var name = AzureNames.ForMcs(id);
        var lines = new List<string>
        {
            $"Azure load balancer: {status.LoadBalancerId}",
            $"Azure frontend, pool: {name}",
        };
        // The public IP's id follows from the MCS; its address is known on the silo that made or adopted it.
        if (!lb.Contains("-internal", StringComparison.Ordinal))
            lines.Add(_publicIps.TryGetValue(id, out var ip) ? $"Azure public IP: {ip.Id} ({ip.Address})" : $"Azure public IP: {ArmIds.PublicIp(_options, name)}");
        lines.Add(status.LastWrite is null
            ? "Last write: none"
            : $"Last write: {status.LastWrite} at {status.LastWriteAt:u}: {status.LastResult}");
        if (status.ParkedUntil is { } parked) lines.Add($"Parked until: {parked:u} (throttled by ARM)");
        return lines;
    }

    /// <summary>Waits for the LB to take a change, until the timeout, the caller's cancellation, or the silo stopping: a
    /// stopping silo waits for running grain calls, and an LB parked for minutes must not hold it.</summary>
    private async Task<AzureFrontendResult> WaitFor(string lb, string mcsId, AzureLoadBalancerTicket ticket, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        // Returns here at once on cancellation, whether or not the LB's silo hears of it in time.
        return await Lb(lb).WaitFor(mcsId, ticket, ConvergeTimeout, stopping.Token).WaitAsync(stopping.Token);
    }

    /// <summary>The MCS's Standard static public IP: adopted when it exists (tagged by name), else created.</summary>
    private async Task<(string Id, string Address)> EnsurePublicIp(LoadBalancerSpec spec, string name, CancellationToken ct)
    {
        var version = spec.Family == IpFamily.IPv6 ? "IPv6" : "IPv4";
        if (_publicIps.TryGetValue(spec.Id, out var known) && (known.Address.Contains(':') == (version == "IPv6"))) return known;
        await ThrowIfParked();
        var id = ArmIds.PublicIp(_options, name);
        var existing = await ParkOnThrottle(() => arm.GetAsync(id, ct));
        if (existing?.Body["properties"]?["ipAddress"]?.GetValue<string>() is { } held
            && existing.Body["properties"]?["publicIPAddressVersion"]?.GetValue<string>() is var v && (v ?? "IPv4") == version)
            return _publicIps[spec.Id] = (id, held);
        if (existing is not null) await DeletePublicIp(name, ct); // of the other family: replace it
        await TakeBudget(ct);
        _publicIpsGone.TryRemove(name, out _);
        var created = await ParkOnThrottle(() => arm.PutAsync(id, new JsonObject
        {
            ["location"] = _options.Location,
            ["sku"] = new JsonObject { ["name"] = "Standard", ["tier"] = "Regional" },
            ["tags"] = new JsonObject { [AzureNames.McsTag] = spec.Id },
            ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = "Static", ["publicIPAddressVersion"] = version },
        }, null, ct));
        var address = created.Body["properties"]?["ipAddress"]?.GetValue<string>()
                      ?? throw new InvalidOperationException($"public IP {name} has no address after its creation");
        return _publicIps[spec.Id] = (id, address);
    }

    private async Task DeletePublicIp(string name, CancellationToken ct, bool onlyIfNotSeenGone = false)
    {
        var id = ArmIds.PublicIp(_options, name);
        foreach (var (mcs, ip) in _publicIps)
            if (ip.Id == id) _publicIps.TryRemove(mcs, out _);
        if (onlyIfNotSeenGone && _publicIpsGone.ContainsKey(name)) return;
        await ThrowIfParked();
        if (await ParkOnThrottle(() => arm.GetAsync(id, ct)) is not null)
        {
            await TakeBudget(ct);
            await ParkOnThrottle(async () => { await arm.DeleteAsync(id, ct); return true; });
        }
        _publicIpsGone[name] = true;
    }

    /// <summary>No public-IP call while the subscription is parked: fail now and let the MCS grain retry, so it is not
    /// held for the whole park (its retries make no ARM call until then).</summary>
    private async Task ThrowIfParked()
    {
        if (await Budget.ParkedUntil() is { } until)
            throw new SubscriptionParkedException(until);
    }

    /// <summary>ARM's network quota is per subscription: a 429 that is not a busy resource parks every write and read.</summary>
    private async Task<T> ParkOnThrottle<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ArmException ex) when (ex.IsSubscriptionThrottle)
        {
            var until = clock.GetUtcNow() + (ex.RetryAfter ?? _options.RetryMax);
            await Budget.Park(until);
            throw new SubscriptionParkedException(until, ex);
        }
    }

    /// <summary>Public IP writes count against the same budget as LB writes; wait for a token.</summary>
    private async Task TakeBudget(CancellationToken ct)
    {
        while (await Budget.TryTake() is var wait && wait > TimeSpan.Zero)
        {
            if (await Budget.ParkedUntil() is { } until) throw new SubscriptionParkedException(until);
            await Task.Delay(wait, clock, ct);
        }
    }
}
