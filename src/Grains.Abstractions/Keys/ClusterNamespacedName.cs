namespace FleetL4;

/// <summary>A namespaced object in one member cluster, "cluster/namespace/name" as text (the key of its grain).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.ClusterNamespacedName")]
public readonly record struct ClusterNamespacedName([property: Id(0)] string Cluster, [property: Id(1)] NamespacedName Object)
    : IComparable<ClusterNamespacedName>
{
    public ClusterNamespacedName(string cluster, string ns, string name) : this(cluster, new NamespacedName(ns, name)) { }

    public string Namespace => Object.Namespace;
    public string Name => Object.Name;

    public override string ToString() => $"{Cluster}/{Object}";

    public static ClusterNamespacedName Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0) throw new FormatException($"\"{text}\" is not cluster/namespace/name");
        return new(text[..slash], NamespacedName.Parse(text[(slash + 1)..]));
    }

    public int CompareTo(ClusterNamespacedName other)
    {
        var byCluster = string.CompareOrdinal(Cluster, other.Cluster);
        return byCluster != 0 ? byCluster : Object.CompareTo(other.Object);
    }
}
