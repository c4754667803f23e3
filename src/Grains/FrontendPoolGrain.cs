using System.Net.Sockets;
using FleetL4.LoadBalancing;
using FleetL4.State;
using Microsoft.Extensions.Options;

namespace FleetL4;

/// <summary>Hands out FleetL4:FrontendPool(IPv6) addresses for the whole hub and stores who holds which.</summary>
public sealed class FrontendPoolGrain(
    [PersistentState("frontends", StorageNames.Fleet)] IPersistentState<FrontendPoolState> state,
    IOptions<LoadBalancingOptions> options) : Grain, IFrontendPoolGrain
{
    private FrontendIpPool _ipv4 = null!;
    private FrontendIpPool _ipv6 = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ipv4 = new FrontendIpPool(options.Value.FrontendPool);
        _ipv6 = new FrontendIpPool(options.Value.FrontendPoolIPv6, AddressFamily.InterNetworkV6, "FleetL4:FrontendPoolIPv6");
        // An address outside the configured pools (the setting changed) is forgotten; its holder gets a new one.
        foreach (var (id, ip) in state.State.Held.ToArray())
        {
            var pool = _ipv4.Contains(ip) ? _ipv4 : _ipv6.Contains(ip) ? _ipv6 : null;
            if (pool is null) state.State.Held.Remove(id);
            else pool.Allocate(id, ip);
        }
        return Task.CompletedTask;
    }

    public async Task<string> Reserve(string loadBalancerId, bool ipv6, string? preferred)
    {
        var (pool, other) = ipv6 ? (_ipv6, _ipv4) : (_ipv4, _ipv6);
        other.Release(loadBalancerId); // a change of family gives up the old address
        var ip = pool.Allocate(loadBalancerId, preferred);
        if (state.State.Held.GetValueOrDefault(loadBalancerId) != ip)
        {
            state.State.Held[loadBalancerId] = ip;
            await state.WriteStateAsync();
        }
        return ip;
    }

    public async Task Release(string loadBalancerId)
    {
        _ipv4.Release(loadBalancerId);
        _ipv6.Release(loadBalancerId);
        if (state.State.Held.Remove(loadBalancerId)) await state.WriteStateAsync();
    }
}
