using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>
/// The state of one ServiceImport: every cluster's export, the conflict decision, and the backend set.
/// An endpoint-only update costs O(that cluster's endpoints); only a change of spec, membership, lease or weight
/// re-runs conflict resolution, which is O(exporting clusters), and moves whole clusters in or out.
/// </summary>
public sealed class ImportAggregate
{
    private sealed record Entry(ExportContribution Contribution, HashSet<string> Backends);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly NamespacedName _service;
    private IReadOnlyDictionary<string, ConflictFinding> _conflicts = new Dictionary<string, ConflictFinding>();
    private string? _winner;

    /// <param name="service">The import's namespace/name, for condition messages.</param>
    /// <param name="epoch">The last epoch handed out before, so that verdicts keep increasing across activations.</param>
    public ImportAggregate(NamespacedName service, long epoch)
    {
        _service = service;
        Epoch = epoch;
    }

    /// <summary>Increases with every conflict decision.</summary>
    public long Epoch { get; private set; }

    public ImportInfo Info { get; private set; } = ImportInfo.Empty;

    public int BackendCount { get; private set; }

    public IReadOnlyCollection<string> Clusters => _entries.Keys;

    /// <summary>
    /// KEP-1645: every export taking part in a conflict says so, the winner too (it is the one in use); a loser's
    /// message names the winner and the field, the winner's the losers.
    /// </summary>
    public ConflictVerdict VerdictFor(string cluster)
    {
        if (_conflicts.TryGetValue(cluster, out var finding))
            return new ConflictVerdict(true, ConditionMessages.ConflictWithOldest(_service, _winner!, finding.Field, finding.Detail), Epoch);
        if (cluster == _winner && _conflicts.Count > 0)
        {
            var losers = _conflicts.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
            return new ConflictVerdict(true, ConditionMessages.ConflictAsOldest(_service, losers.Select(kv => kv.Key), losers.Select(kv => kv.Value.Field)), Epoch);
        }
        return new ConflictVerdict(false, ConditionMessages.NoConflict(_service), Epoch);
    }

    public ImportChange Upsert(ExportContribution contribution) => Apply(contribution.Cluster, contribution);

    public ImportChange Remove(string cluster) => Apply(cluster, null);

    /// <summary>Every backend that takes traffic now.</summary>
    public IReadOnlyList<Backend> Backends() =>
        _entries.Where(kv => IsActive(kv.Key, kv.Value))
            .SelectMany(kv => kv.Value.Backends.Select(a => new Backend(kv.Key, a)))
            .ToArray();

    /// <summary>Backends that take traffic now, by address family.</summary>
    public FamilyCounts BackendsByFamily() =>
        EndpointSelection.CountByFamily(_entries.Where(kv => IsActive(kv.Key, kv.Value)).SelectMany(kv => kv.Value.Backends));

    public IReadOnlyList<ImportClusterView> Describe() =>
        _entries.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
        {
            var c = kv.Value.Contribution;
            var state = _conflicts.ContainsKey(kv.Key) ? ConditionTypes.Conflict
                : !c.ClusterLive ? ConditionReasons.LeaseExpired
                : "Active";
            var active = IsActive(kv.Key, kv.Value);
            var verdict = VerdictFor(kv.Key);
            return new ImportClusterView(kv.Key, state, active ? kv.Value.Backends.Count : 0,
                verdict.Conflict ? verdict.Message : null,
                active ? EndpointSelection.CountByFamily(kv.Value.Backends) : default);
        }).ToArray();

    private bool IsActive(string cluster, Entry e) => e.Contribution.ClusterLive && !_conflicts.ContainsKey(cluster);

    private ImportChange Apply(string cluster, ExportContribution? contribution)
    {
        _entries.TryGetValue(cluster, out var old);
        if (old is null && contribution is null) return new ImportChange([], [], false, new Dictionary<string, ConflictVerdict>());
        var updated = contribution is null ? null : new Entry(contribution, new HashSet<string>(contribution.Backends, StringComparer.Ordinal));
        var added = new List<Backend>();
        var removed = new List<Backend>();

        if (old is not null && updated is not null && !IsStructural(old.Contribution, updated.Contribution))
        {
            // Endpoint-only change: the decision stands, diff this cluster alone.
            if (IsActive(cluster, old)) Diff(cluster, old.Backends, updated.Backends, added, removed);
            _entries[cluster] = updated;
            return Finish(added, removed, false, new Dictionary<string, ConflictVerdict>());
        }

        var activeBefore = _entries.ToDictionary(kv => kv.Key, kv => IsActive(kv.Key, kv.Value), StringComparer.Ordinal);
        var verdictsBefore = _entries.Keys.ToDictionary(k => k, VerdictFor, StringComparer.Ordinal);
        if (updated is null) _entries.Remove(cluster);
        else _entries[cluster] = updated;
        Resolve();

        foreach (var key in activeBefore.Keys.Union(_entries.Keys).ToArray())
        {
            var before = activeBefore.GetValueOrDefault(key)
                ? (key == cluster ? old!.Backends : _entries[key].Backends)
                : null;
            var after = _entries.TryGetValue(key, out var e) && IsActive(key, e) ? e.Backends : null;
            Diff(key, before, after, added, removed);
        }

        var verdictChanges = new Dictionary<string, ConflictVerdict>(StringComparer.Ordinal);
        foreach (var key in _entries.Keys)
        {
            if (key == cluster) continue;
            var now = VerdictFor(key);
            if (!verdictsBefore.TryGetValue(key, out var was) || was.Conflict != now.Conflict || was.Message != now.Message)
                verdictChanges[key] = now;
        }

        var info = ComputeInfo();
        var infoChanged = !ServiceEquality.Same(info, Info);
        Info = info;
        return Finish(added, removed, infoChanged, verdictChanges);
    }

    private ImportChange Finish(List<Backend> added, List<Backend> removed, bool infoChanged, Dictionary<string, ConflictVerdict> verdicts)
    {
        BackendCount += added.Count - removed.Count;
        return new ImportChange(added, removed, infoChanged, verdicts);
    }

    private static bool IsStructural(ExportContribution a, ExportContribution b) =>
        a.CreationTimestamp != b.CreationTimestamp || a.ClusterLive != b.ClusterLive ||
        !ServiceEquality.Same(a.Service, b.Service);

    private void Resolve()
    {
        var resolution = ConflictResolver.Resolve(_entries.Values.Select(e =>
            new ConflictCandidate(e.Contribution.Cluster, e.Contribution.CreationTimestamp, e.Contribution.Service)));
        _winner = resolution.Winner;
        _conflicts = resolution.Conflicts;
        Epoch++;
    }

    private ImportInfo ComputeInfo()
    {
        if (_winner is null) return ImportInfo.Empty;
        var service = _entries[_winner].Contribution.Service;
        var clusters = _entries
            .Where(kv => !_conflicts.ContainsKey(kv.Key) && kv.Value.Contribution.ClusterLive)
            .Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        // Ports in the winning Service's order, as Fleet copies them.
        return new ImportInfo("ClusterSetIP", service.Ports.ToArray(), service.SessionAffinity, clusters);
    }

    private static void Diff(string cluster, HashSet<string>? before, HashSet<string>? after, List<Backend> added, List<Backend> removed)
    {
        if (before is not null)
            foreach (var a in before)
                if (after is null || !after.Contains(a)) removed.Add(new Backend(cluster, a));
        if (after is not null)
            foreach (var a in after)
                if (before is null || !before.Contains(a)) added.Add(new Backend(cluster, a));
    }
}
