namespace FleetL4;

/// <summary>Grain keys of FleetL4's objects; the typed names format and parse them.</summary>
public static class GrainKeys
{
    public const string Directory = "fleet";

    /// <summary>The hub's one frontend address pool (FleetL4:FrontendPool), shared by every silo.</summary>
    public const string Frontends = "frontends";

    /// <summary>The hub's namespaces and placements (<see cref="IHubDirectoryGrain"/>).</summary>
    public const string Hub = "hub";

    /// <summary>The <see cref="IHubObjectsGrain"/> of cluster-scoped hub objects other than Namespaces (no namespace
    /// is called this: namespaces are DNS labels).</summary>
    public const string ClusterScoped = "_cluster";

    public static string Export(ClusterNamespacedName export) => export.ToString();
    public static string Export(string cluster, string ns, string name) => Export(new ClusterNamespacedName(cluster, ns, name));
    public static string Import(NamespacedName import) => import.ToString();
    public static string Import(string ns, string name) => Import(new NamespacedName(ns, name));
    public static string MultiClusterService(ClusterNamespacedName mcs) => mcs.ToString();
    public static string MultiClusterService(string cluster, string ns, string name) => MultiClusterService(new ClusterNamespacedName(cluster, ns, name));
}
