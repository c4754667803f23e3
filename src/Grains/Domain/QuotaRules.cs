using System.Text;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>
/// The hub's quotas (<see cref="FleetQuotas"/>) as checks: each refusal is a <see cref="FleetValidationException"/>
/// whose field is "quota KEY", so the user reads which setting refused it and what it allows.
/// </summary>
public static class QuotaRules
{
    /// <summary>One object as applied. Server-set metadata adds a few hundred bytes to what is stored; the user can
    /// only see, and fix, what they sent.</summary>
    public static void RequireObjectBytes(FleetQuotas quotas, ManifestObject o) =>
        Require(nameof(FleetQuotas.ObjectBytes), Encoding.UTF8.GetByteCount(o.Json), quotas.ObjectBytes, "bytes of JSON in one object");

    /// <summary>A virtual member's objects after a batch. Only a batch that adds objects or bytes is refused: a
    /// member over a lowered quota can still change and delete what it has.</summary>
    public static void RequireClusterObjects(FleetQuotas quotas, string cluster, IReadOnlyCollection<ManifestObject> before, IReadOnlyCollection<ManifestObject> after)
    {
        if (after.Count > before.Count)
            Require(nameof(FleetQuotas.ObjectsPerCluster), after.Count, quotas.ObjectsPerCluster, $"objects in cluster {cluster}");
        var bytesAfter = Bytes(after);
        if (bytesAfter > Bytes(before))
            Require(nameof(FleetQuotas.BytesPerCluster), bytesAfter, quotas.BytesPerCluster, $"bytes of objects in cluster {cluster}");
    }

    /// <summary>A virtual member's ServiceExports after a batch, checked like <see cref="ExportsOverQuota"/> counts them.</summary>
    public static void RequireClusterExports(FleetQuotas quotas, string cluster, int before, int after)
    {
        if (after > before)
            Require(nameof(FleetQuotas.ExportsPerCluster), after, quotas.ExportsPerCluster, $"ServiceExports in cluster {cluster}");
    }

    /// <summary>
    /// The new exports of one sync that do not fit (each paired with its refusal), in the order they came: the
    /// first ones fit while <paramref name="kept"/> (the cluster's exports that stay) plus them are within the quota.
    /// </summary>
    public static IReadOnlyList<(NamespacedName Export, FleetValidationException Refusal)> ExportsOverQuota(
        FleetQuotas quotas, string cluster, int kept, IEnumerable<NamespacedName> added)
    {
        var refused = new List<(NamespacedName, FleetValidationException)>();
        var count = kept;
        foreach (var export in added)
        {
            if (++count <= quotas.ExportsPerCluster) continue;
            refused.Add((export, Exceeded(nameof(FleetQuotas.ExportsPerCluster), count, quotas.ExportsPerCluster,
                $"ServiceExports in cluster {cluster} with {export}")));
        }
        return refused;
    }

    /// <summary>Endpoints of one address family in one export (one backend pool per frontend family).</summary>
    public static void RequireEndpoints(FleetQuotas quotas, NamespacedName export, int count) =>
        Require(nameof(FleetQuotas.EndpointsPerExport), count, quotas.EndpointsPerExport,
            $"endpoints of one address family in export {export} (the Azure Load Balancer backend pool limit)");

    public static void RequirePorts(FleetQuotas quotas, NamespacedName service, int count) =>
        Require(nameof(FleetQuotas.PortsPerService), count, quotas.PortsPerService, $"ports in Service {service}");

    private static void Require(string quota, long value, long limit, string what)
    {
        if (value > limit) throw Exceeded(quota, value, limit, what);
    }

    private static FleetValidationException Exceeded(string quota, long value, long limit, string what) =>
        new($"quota {FleetQuotas.Key(quota)}", $"{value} {what}; at most {limit}");

    private static long Bytes(IEnumerable<ManifestObject> objects) => objects.Sum(o => (long)Encoding.UTF8.GetByteCount(o.Json));
}
