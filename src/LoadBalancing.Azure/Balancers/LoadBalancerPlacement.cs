namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>Where each MCS's frontend lives: on which shared load balancer, and how full each one is.</summary>
[GenerateSerializer, Alias("fleetl4.azure.LoadBalancerPlacement")]
public sealed class LoadBalancerPlacement
{
    /// <summary>Standard Load Balancer limits per LB.</summary>
    public const int MaxFrontends = 600;
    public const int MaxRules = 1500;

    /// <summary>MCS id -> (internal, LB index, rules it uses).</summary>
    [Id(0)] public Dictionary<string, (bool Internal, int Index, int Rules)> Assigned { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The LB (internal or not, index 1..) for <paramref name="mcsId"/>: the one it is on if it still fits and is of
    /// the right kind, else the first with room. Returns the previous place when it moved.</summary>
    public ((bool Internal, int Index) Now, (bool Internal, int Index)? Before) Assign(string mcsId, bool isInternal, int rules)
    {
        (bool, int)? before = null;
        if (Assigned.TryGetValue(mcsId, out var held))
        {
            if (held.Internal == isInternal && Fits(held.Internal, held.Index, rules - held.Rules, 0))
            {
                Assigned[mcsId] = (isInternal, held.Index, rules);
                return ((isInternal, held.Index), null);
            }
            before = (held.Internal, held.Index);
            Assigned.Remove(mcsId);
        }
        var index = 1;
        while (!Fits(isInternal, index, rules, 1)) index++;
        Assigned[mcsId] = (isInternal, index, rules);
        return ((isInternal, index), before);
    }

    public (bool Internal, int Index)? Release(string mcsId) =>
        Assigned.Remove(mcsId, out var held) ? (held.Internal, held.Index) : null;

    private bool Fits(bool isInternal, int index, int moreRules, int moreFrontends)
    {
        var on = Assigned.Values.Where(a => a.Internal == isInternal && a.Index == index).ToArray();
        return on.Length + moreFrontends <= MaxFrontends && on.Sum(a => a.Rules) + moreRules <= MaxRules;
    }
}
