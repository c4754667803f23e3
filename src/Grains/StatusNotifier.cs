using FleetL4.Models;

namespace FleetL4;

/// <summary>
/// Tells an object's member cluster grain when what the member writes back (existence, conditions, frontend
/// address, the import's spec) changed, once per change: the hub API's status stream then reads and pushes it.
/// Endpoint-only churn changes none of these, so it sends nothing.
/// </summary>
internal sealed class StatusNotifier(StatusKind kind)
{
    private bool _known;
    private bool _exists;
    private string? _address;
    private IReadOnlyList<Condition> _conditions = [];
    private ImportInfo? _import;

    /// <summary>Takes the current status as known, without telling anyone (on activation: nothing changed yet).</summary>
    public void Baseline(bool exists, IReadOnlyList<Condition> conditions, string? address = null, ImportInfo? import = null)
    {
        (_known, _exists, _address, _conditions, _import) = (true, exists, address, [.. conditions], import);
    }

    public void Observe(IGrainFactory grains, ClusterNamespacedName key, bool exists, IReadOnlyList<Condition> conditions,
        string? address = null, ImportInfo? import = null)
    {
        if (_known && exists == _exists && address == _address && conditions.SequenceEqual(_conditions) && SameImport(import, _import)) return;
        Baseline(exists, conditions, address, import);
        grains.GetGrain<IMemberClusterGrain>(key.Cluster).OnStatusChanged(new StatusChange(kind, key.Object)).Ignore();
    }

    private static bool SameImport(ImportInfo? a, ImportInfo? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.Type == b.Type && a.SessionAffinity == b.SessionAffinity
            && a.Ports.SequenceEqual(b.Ports) && a.Clusters.SequenceEqual(b.Clusters));
}
