namespace FleetL4;

/// <summary>A namespaced object's identity, "namespace/name" as text ('/' cannot occur in either part).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.NamespacedName")]
public readonly record struct NamespacedName([property: Id(0)] string Namespace, [property: Id(1)] string Name)
    : IComparable<NamespacedName>
{
    public override string ToString() => $"{Namespace}/{Name}";

    public static NamespacedName Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || text.IndexOf('/', slash + 1) >= 0)
            throw new FormatException($"\"{text}\" is not namespace/name");
        return new(text[..slash], text[(slash + 1)..]);
    }

    public int CompareTo(NamespacedName other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }
}
