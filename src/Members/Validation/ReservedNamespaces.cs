namespace FleetL4.Domain;

/// <summary>
/// Namespaces a placement may never select, by name or by label: <c>default</c> and the system's own
/// (<c>kube-*</c>, <c>fleet-*</c>), as in Fleet. Placing them would overwrite what every member already runs.
/// </summary>
public static class ReservedNamespaces
{
    /// <summary>How messages name the reserved ones.</summary>
    public const string Described = "default, kube-* or fleet-*";

    public static bool IsReserved(string name) =>
        name == "default" || name.StartsWith("kube-", StringComparison.Ordinal) || name.StartsWith("fleet-", StringComparison.Ordinal);
}
