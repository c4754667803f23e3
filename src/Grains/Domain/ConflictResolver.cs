using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>One export taking part in conflict resolution.</summary>
public sealed record ConflictCandidate(string Cluster, DateTimeOffset CreationTimestamp, ExportedService Service);

/// <summary>Where a losing export disagrees with the winner: the field ("ports", "sessionAffinity") and how.</summary>
public sealed record ConflictFinding(string Field, string Detail);

/// <summary>The outcome: the winner (oldest export) and, per losing cluster, what it disagrees in.</summary>
public sealed record ConflictResolution(string? Winner, IReadOnlyDictionary<string, ConflictFinding> Conflicts);

/// <summary>
/// KEP-1645 conflict resolution: the oldest export wins (ties broken by cluster name); every other export must
/// agree with it on ports (compared by protocol and port, order-insensitive; name, appProtocol and targetPort of
/// matching ports too) and session affinity.
/// </summary>
public static class ConflictResolver
{
    public static ConflictResolution Resolve(IEnumerable<ConflictCandidate> candidates)
    {
        var ordered = candidates
            .OrderBy(c => c.CreationTimestamp)
            .ThenBy(c => c.Cluster, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count == 0) return new(null, new Dictionary<string, ConflictFinding>());
        var winner = ordered[0];
        var conflicts = new Dictionary<string, ConflictFinding>(StringComparer.Ordinal);
        foreach (var c in ordered.Skip(1))
            if (Difference(winner.Service, c.Service) is { } difference)
                conflicts[c.Cluster] = new ConflictFinding(difference.Field, difference.Detail);
        return new(winner.Cluster, conflicts);
    }

    /// <summary>The first field in which <paramref name="other"/> disagrees with <paramref name="winner"/>, or null.</summary>
    public static (string Field, string Detail)? Difference(ExportedService winner, ExportedService other)
    {
        var mine = winner.Ports.ToDictionary(p => (p.Protocol, p.Port));
        var theirs = other.Ports.ToDictionary(p => (p.Protocol, p.Port));
        if (!mine.Keys.ToHashSet().SetEquals(theirs.Keys))
            return ("ports", $"{Describe(other.Ports)} vs {Describe(winner.Ports)}");
        foreach (var (key, w) in mine.OrderBy(k => k.Key.Port))
        {
            var o = theirs[key];
            var where = $"port {key.Port}/{key.Protocol}";
            if (!string.Equals(w.Name, o.Name, StringComparison.Ordinal))
                return ("ports", $"{where} name \"{o.Name}\" vs \"{w.Name}\"");
            if (!string.Equals(w.AppProtocol, o.AppProtocol, StringComparison.Ordinal))
                return ("ports", $"{where} appProtocol \"{o.AppProtocol}\" vs \"{w.AppProtocol}\"");
            if (w.BackendPort != o.BackendPort)
                return ("ports", $"{where} targetPort {o.BackendPort} vs {w.BackendPort}");
        }
        if (winner.SessionAffinity != other.SessionAffinity)
            return ("sessionAffinity", $"{other.SessionAffinity} vs {winner.SessionAffinity}");
        return null;
    }

    /// <summary>Ports as users write them: "8080/TCP, 53/UDP", sorted.</summary>
    public static string Describe(IEnumerable<ServicePort> ports)
    {
        var text = string.Join(", ", ports.OrderBy(p => p.Port).ThenBy(p => p.Protocol, StringComparer.Ordinal).Select(p => $"{p.Port}/{p.Protocol}"));
        return text.Length == 0 ? "no ports" : text;
    }
}
