namespace FleetL4.LoadBalancing.Azure.Model;

/// <summary>Settings every frontend of one load balancer shares.</summary>
public sealed record LoadBalancerSettings(string? InternalSubnetId, int ProbeIntervalSeconds, int ProbeThreshold, int IdleTimeoutMinutes);

/// <summary>
/// What a shared load balancer should hold: for every MCS on it a frontend, an IP-based pool of its endpoints, a
/// rule per service port (TCP or UDP) and a TCP probe per TCP backend port. Parts FleetL4 does not own (no "fl4-"
/// prefix) are kept as they are; owned parts no MCS claims (orphans) are kept until <c>removeOrphans</c>, so a
/// restarted hub does not cut frontends whose MCS has not re-applied yet.
/// </summary>
public static class DesiredLoadBalancer
{
    /// <param name="released">Names of MCSes taken off this LB: their parts go at once, grace or not.</param>
    public static LoadBalancerModel Compute(LoadBalancerModel current, IReadOnlyCollection<AzureFrontendSpec> specs,
        LoadBalancerSettings settings, bool removeOrphans, IReadOnlyCollection<string>? released = null)
    {
        var desired = new LoadBalancerModel();
        // One lookup per part (a shared LB holds up to 600 MCSes and 1,500 rules).
        var claimed = specs.Select(s => s.Name).Concat(released ?? []).ToHashSet(StringComparer.Ordinal);
        bool Keep(string name) => !name.StartsWith(AzureNames.Prefix, StringComparison.Ordinal)
            || (!removeOrphans && !claimed.Contains(name) && !claimed.Contains(AzureNames.OwnerOf(name)));
        foreach (var (k, v) in current.Frontends) if (Keep(k)) desired.Frontends[k] = v;
        foreach (var (k, v) in current.Probes) if (Keep(k)) desired.Probes[k] = v;
        foreach (var (k, v) in current.Rules) if (Keep(k)) desired.Rules[k] = v;
        foreach (var (k, v) in current.Pools) if (Keep(k)) desired.Pools[k] = new SortedSet<string>(v, StringComparer.Ordinal);

        foreach (var spec in specs)
        {
            desired.Frontends[spec.Name] = spec.PublicIpId is not null
                ? new FrontendModel(spec.Name, spec.PublicIpId, null, null)
                // Internal: keep the address Azure gave it (Static from then on), so the IP is stable.
                : new FrontendModel(spec.Name, null, settings.InternalSubnetId,
                    spec.PrivateIp ?? current.Frontends.GetValueOrDefault(spec.Name)?.PrivateIp);
            desired.Pools[spec.Name] = new SortedSet<string>(spec.Backends, StringComparer.Ordinal);
            foreach (var port in spec.Ports)
            {
                var protocol = AzureProtocol(port.Protocol);
                if (protocol is null) continue; // SCTP: Azure LB rules are Tcp, Udp or All
                string? probe = null;
                // Azure LB cannot probe UDP; a UDP rule without a probe sends to every backend in the pool.
                if (protocol == "Tcp")
                {
                    probe = AzureNames.Probe(spec.Name, port.BackendPort);
                    desired.Probes[probe] = new ProbeModel(probe, "Tcp", port.BackendPort, settings.ProbeIntervalSeconds, settings.ProbeThreshold);
                }
                var rule = AzureNames.Rule(spec.Name, protocol, port.Port);
                desired.Rules[rule] = new RuleModel(rule, protocol, port.Port, port.BackendPort, spec.Name, spec.Name, probe,
                    spec.SessionAffinity == "ClientIP" ? "SourceIP" : "Default",
                    EnableTcpReset: protocol == "Tcp", DisableOutboundSnat: true, settings.IdleTimeoutMinutes);
            }
        }
        return desired;
    }

    /// <summary>Kubernetes protocol to Azure LB rule protocol; null when Azure LB cannot serve it.</summary>
    public static string? AzureProtocol(string protocol) => protocol switch
    {
        "TCP" => "Tcp",
        "UDP" => "Udp",
        _ => null,
    };
}
