namespace FleetL4.FakeArm;

internal enum RouteKind
{
    Subscription,
    ProviderList,
    ProviderRegistration,
    OperationStatus,
    OperationResult,
    ResourceGroup,
    Collection,
    Resource,
    ChildCollection,
    Child,
}

/// <summary>
/// A request path parsed the way ARM reads it (segment names are case-insensitive). Resource types and child
/// collections are spelled canonically in the ids this fake builds; names keep the case of the request.
/// </summary>
internal sealed record ArmRoute(RouteKind Kind, string Subscription)
{
    public const string Namespace = "Microsoft.Network";
    public const string PublicIPAddresses = "publicIPAddresses";
    public const string LoadBalancers = "loadBalancers";
    public const string VirtualNetworks = "virtualNetworks";
    public const string BackendAddressPools = "backendAddressPools";

    /// <summary>The collections of a load balancer (and subnets of a VNet) a request can address.</summary>
    public static readonly IReadOnlyList<string> ChildCollections =
        [BackendAddressPools, "frontendIPConfigurations", "probes", "loadBalancingRules", "subnets"];

    public static readonly IReadOnlyList<string> ResourceTypes = [PublicIPAddresses, LoadBalancers, VirtualNetworks];

    public string? ResourceGroup { get; init; }
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? ChildType { get; init; }
    public string? ChildName { get; init; }
    public string? OperationId { get; init; }

    /// <summary>The raw type segment when it is not one this fake knows (for InvalidResourceType).</summary>
    public string? UnknownType { get; init; }

    public string ResourceGroupId => $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}";

    /// <summary>The id of the top-level resource the path addresses (or is below).</summary>
    public string ResourceId => $"{ResourceGroupId}/providers/{Namespace}/{Type}/{Name}";

    public string ChildId => $"{ResourceId}/{ChildType}/{ChildName}";

    /// <summary>The id of what the path addresses: the child for a child path, else the resource.</summary>
    public string TargetId => Kind == RouteKind.Child ? ChildId : ResourceId;

    public static ArmRoute? Parse(string path)
    {
        var s = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (s.Length < 2 || !Is(s[0], "subscriptions")) return null;
        var sub = s[1];
        if (s.Length == 2) return new ArmRoute(RouteKind.Subscription, sub);
        if (Is(s[2], "providers"))
        {
            if (s.Length == 3) return new ArmRoute(RouteKind.ProviderList, sub);
            if (!Is(s[3], Namespace)) return null;
            if (s.Length == 4) return new ArmRoute(RouteKind.ProviderRegistration, sub);
            if (s.Length == 8 && Is(s[4], "locations") && Is(s[6], "operations"))
                return new ArmRoute(RouteKind.OperationStatus, sub) { OperationId = s[7] };
            if (s.Length == 8 && Is(s[4], "locations") && Is(s[6], "operationResults"))
                return new ArmRoute(RouteKind.OperationResult, sub) { OperationId = s[7] };
            return null;
        }
        if (!Is(s[2], "resourceGroups") || s.Length < 4) return null;
        var rg = new ArmRoute(RouteKind.ResourceGroup, sub) { ResourceGroup = s[3] };
        if (s.Length == 4) return rg;
        if (s.Length < 7 || !Is(s[4], "providers") || !Is(s[5], Namespace)) return null;
        var type = Canonical(ResourceTypes, s[6]);
        if (type is null) return rg with { Kind = RouteKind.Collection, UnknownType = s[6] };
        var typed = rg with { Type = type };
        switch (s.Length)
        {
            case 7: return typed with { Kind = RouteKind.Collection };
            case 8: return typed with { Kind = RouteKind.Resource, Name = s[7] };
        }
        if (s.Length > 10) return null;
        var child = Canonical(ChildCollections, s[8]);
        if (child is null) return typed with { Kind = RouteKind.Collection, Name = s[7], UnknownType = $"{type}/{s[8]}" };
        var parent = typed with { Name = s[7], ChildType = child };
        return s.Length == 9 ? parent with { Kind = RouteKind.ChildCollection } : parent with { Kind = RouteKind.Child, ChildName = s[9] };
    }

    private static bool Is(string segment, string name) => segment.Equals(name, StringComparison.OrdinalIgnoreCase);

    private static string? Canonical(IReadOnlyList<string> names, string segment) =>
        names.FirstOrDefault(n => Is(segment, n));
}
