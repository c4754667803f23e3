namespace FleetL4;

/// <summary>How grain keys are built from object names. '/' cannot occur in DNS labels, so keys are unambiguous.</summary>
public static class GrainKeys
{
    public const string Directory = "fleet";

    public static string Export(string cluster, string ns, string name) => $"{cluster}/{ns}/{name}";
    public static string Import(string ns, string name) => $"{ns}/{name}";
    public static string MultiClusterService(string cluster, string ns, string name) => $"{cluster}/{ns}/{name}";

    /// <summary>Splits a key into its parts.</summary>
    public static string[] Split(string key) => key.Split('/');
}
