using System.Globalization;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>`fleetl4 describe crp NAME`: the placement's generation and policy, its conditions, the resources it
/// selected and how each selected cluster applied them.</summary>
public static class PlacementDescription
{
    /// <param name="policy">spec.policy as the hub reads it (PlacementRules), so defaults show as the hub applies them.</param>
    public static async Task Write(TextWriter output, PlacementView p, PlacementPolicy policy)
    {
        var lines = new List<(string, string)>
        {
            ("Name", p.Name), ("Generation", Number(p.Generation)), ("Created", p.CreationTimestamp.ToString("u", CultureInfo.InvariantCulture)),
            ("Resource revision", Number(p.Revision)), ("Placement type", policy.PlacementType),
        };
        if (policy.ClusterNames.Count > 0) lines.Add(("Cluster names", string.Join(", ", policy.ClusterNames)));
        if (policy.NumberOfClusters is { } number) lines.Add(("Number of clusters", Number(number)));
        // Terms are ORed; within one, every requirement must hold (kubectl's selector syntax, comma for AND).
        lines.Add(("Cluster affinity", policy.ClusterSelectorTerms.Count == 0 ? "<none>" : string.Join(" OR ", policy.ClusterSelectorTerms.Select(Term))));
        await DescribeText.Lines(output, [.. lines]);
        await DescribeText.Conditions(output, p.Conditions);

        var resources = new Table("GROUP", "VERSION", "KIND", "NAMESPACE", "NAME");
        foreach (var r in p.SelectedResources) resources.Add(r.Group, r.Version, r.Kind, r.Namespace ?? "", r.Name);
        await DescribeText.Section(output, "Selected resources", resources);

        var clusters = new Table("CLUSTER", "APPLIED", "REASON", "REVISION", "MESSAGE");
        foreach (var c in p.Clusters) clusters.Add(c.Cluster, c.AppliedStatus, c.Reason, Number(c.AppliedRevision), c.Message);
        await DescribeText.Section(output, "Clusters", clusters);

        var failed = p.Clusters.SelectMany(c => c.Failed.Select(f => $"  {c.Cluster}: {f.Resource}: {f.Message}")).ToList();
        if (failed.Count == 0) return;
        await output.WriteLineAsync("Failed resources:");
        foreach (var line in failed) await output.WriteLineAsync(line);
    }

    /// <summary>One cluster selector term in kubectl's selector syntax: <c>k=v,env in (a,b),!legacy</c>.</summary>
    public static string Term(LabelSelector selector)
    {
        var parts = selector.MatchLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")
            .Concat(selector.MatchExpressions.Select(e => e.Operator switch
            {
                LabelOperators.Exists => e.Key,
                LabelOperators.DoesNotExist => "!" + e.Key,
                _ => $"{e.Key} {e.Operator.ToLowerInvariant()} ({string.Join(",", e.Values)})",
            }))
            .ToList();
        return parts.Count == 0 ? "<every cluster>" : string.Join(",", parts);
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
