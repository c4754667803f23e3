namespace FleetL4.Members;

/// <summary>
/// How much of a manifest FleetL4 reads before refusing it: the CLI when it reads a file, the hub when it receives
/// the objects. Anchored to Kubernetes' own bounds, so a manifest the API server takes is never refused here, and
/// one that would exhaust the CLI or the hub (YAML bombs, deep nesting, huge values) is refused before it costs much.
/// </summary>
public static class ManifestLimits
{
    /// <summary>One file (or stdin): the Kubernetes API server's 3 MiB request body limit.</summary>
    public const int MaxInputBytes = 3 * 1024 * 1024;

    /// <summary>Documents in one file (empty ones count): more is a generated file, not a manifest, and each
    /// document becomes one stored object.</summary>
    public const int MaxDocuments = 1000;

    /// <summary>One object as JSON: ~1.5 MiB, etcd's default request limit, which bounds a Kubernetes object.</summary>
    public const int MaxObjectBytes = 1536 * 1024;

    /// <summary>All objects of one file as JSON: they travel to the hub in one request, which must stay below the
    /// hub API's 16 MiB message limit (HubLimits.MaxMessageBytes).</summary>
    public const int MaxTotalJsonBytes = 12 * 1024 * 1024;

    /// <summary>Nested mappings and sequences in one object, the root counting as 1: System.Text.Json's default
    /// MaxDepth, with which the hub and KubernetesClient read objects back.</summary>
    public const int MaxDepth = 64;

    /// <summary>One string (a value or a key), in characters: the 1 MiB a ConfigMap may hold in all.</summary>
    public const int MaxStringLength = 1024 * 1024;

    /// <summary>Alias uses (*name) in one document. Manifests rarely use aliases; a bomb uses many.</summary>
    public const int MaxAliases = 100;

    /// <summary>Nodes that aliases may copy into one document, counted before copying: like go-yaml's alias
    /// budget, which Kubernetes' YAML reader relies on, so a billion-laughs file fails in milliseconds.</summary>
    public const int MaxAliasExpansion = 10_000;
}
