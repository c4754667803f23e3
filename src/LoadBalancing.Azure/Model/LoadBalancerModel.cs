namespace FleetL4.LoadBalancing.Azure.Model;

public sealed record FrontendModel(string Name, string? PublicIpId, string? SubnetId, string? PrivateIp);

public sealed record ProbeModel(string Name, string Protocol, int Port, int IntervalSeconds, int Threshold);

public sealed record RuleModel(
    string Name, string Protocol, int FrontendPort, int BackendPort, string Frontend, string Pool, string? Probe,
    string LoadDistribution, bool EnableTcpReset, bool DisableOutboundSnat, int IdleTimeoutMinutes);

/// <summary>
/// The parts of an Azure load balancer FleetL4 manages, in a canonical form: what a fresh GET holds and what the
/// desired state says are compared as these, so a write is made only for a real difference.
/// </summary>
public sealed class LoadBalancerModel
{
    public SortedDictionary<string, FrontendModel> Frontends { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, ProbeModel> Probes { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, RuleModel> Rules { get; } = new(StringComparer.Ordinal);

    /// <summary>Pool name -> backend IP addresses.</summary>
    public SortedDictionary<string, SortedSet<string>> Pools { get; } = new(StringComparer.Ordinal);

    public int AddressCount => Pools.Values.Sum(p => p.Count);

    /// <summary>Frontends, probes, rules and the set of pool names agree: only pool contents may differ.</summary>
    public bool SameStructure(LoadBalancerModel other) =>
        Frontends.SequenceEqual(other.Frontends) && Probes.SequenceEqual(other.Probes) && Rules.SequenceEqual(other.Rules)
        && Pools.Keys.SequenceEqual(other.Pools.Keys, StringComparer.Ordinal);

    /// <summary>Pools (by name) whose addresses differ from <paramref name="other"/>'s.</summary>
    public IReadOnlyList<string> PoolsDifferingFrom(LoadBalancerModel other) =>
        Pools.Where(p => !other.Pools.TryGetValue(p.Key, out var theirs) || !theirs.SetEquals(p.Value)).Select(p => p.Key).ToArray();

    public bool SameAs(LoadBalancerModel other) => SameStructure(other) && PoolsDifferingFrom(other).Count == 0;
}
