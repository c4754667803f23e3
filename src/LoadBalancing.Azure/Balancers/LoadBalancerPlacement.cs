namespace FleetL4.LoadBalancing.Azure.Balancers;

/// <summary>Where each MCS's frontend lives: on which shared load balancer, and how full each one is.</summary>
[GenerateSerializer, Alias("fleetl4.azure.LoadBalancerPlacement")]
public sealed class LoadBalancerPlacement
{
    /// <summary>Key of the one placement grain.</summary>
    public const string Key = "placement";

    /// <summary>Standard Load Balancer limits per LB (the defaults of FleetL4:Azure:MaxFrontendsPerLoadBalancer, :MaxRulesPerLoadBalancer).</summary>
    public const int MaxFrontends = 600;
    public const int MaxRules = 1500;

    /// <summary>MCS id -> (internal, LB index, rules it uses).</summary>
    [Id(0)] public Dictionary<string, (bool Internal, int Index, int Rules)> Assigned { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The LB (internal or not, index 1..) for <paramref name="mcsId"/>: the one it is on if it still fits and is of
    /// the right kind, else the first with room. Returns the previous place when it moved.</summary>
    public ((bool Internal, int Index) Now, (bool Internal, int Index)? Before) Assign(string mcsId, bool isInternal, int rules,
        int maxFrontends = MaxFrontends, int maxRules = MaxRules)
    {
        bool Fits(bool kind, int index, int moreRules, int moreFrontends)
        {
            var on = Assigned.Values.Where(a => a.Internal == kind && a.Index == index).ToArray();
            // An MCS with more rules than any LB takes gets one LB of its own (ARM then says why it refuses).
            return on.Length == 0 || (on.Length + moreFrontends <= maxFrontends && on.Sum(a => a.Rules) + moreRules <= maxRules);
        }

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
}
