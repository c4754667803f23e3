namespace FleetL4.HubApi;

/// <summary>
/// Who may do what, decided before any grain is called: a member acts on and reads its own cluster only (and the
/// ServiceImports its MultiClusterServices use); admins may do everything.
/// </summary>
public static class HubAuthorization
{
    /// <summary>Null when <paramref name="caller"/> may <paramref name="action"/> cluster <paramref name="cluster"/>; else why not.</summary>
    public static string? Refusal(HubCaller caller, string action, string cluster) =>
        caller.IsAdmin || caller.Name == cluster ? null : $"{caller} may not {action} cluster \"{cluster}\"";

    /// <summary>Null when <paramref name="caller"/> is an admin; else why not.</summary>
    public static string? AdminRefusal(HubCaller caller, string action) =>
        caller.IsAdmin ? null : $"{caller} may not {action}: admins only";

    /// <summary>A member may read an import one of its MultiClusterServices uses.</summary>
    public static string? ImportRefusal(HubCaller caller, NamespacedName import, IEnumerable<ClusterNamespacedName> importers) =>
        caller.IsAdmin || importers.Any(m => m.Cluster == caller.Name) ? null
            : $"{caller} may not read ServiceImport {import}: no MultiClusterService of cluster \"{caller.Name}\" imports it";

    /// <summary>The cluster a list is limited to: the one asked for, or a member's own when none is named.</summary>
    public static string? ListScope(HubCaller caller, string? cluster) => caller.IsAdmin ? cluster : cluster ?? caller.Name;
}
