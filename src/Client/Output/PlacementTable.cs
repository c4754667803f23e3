using System.Globalization;
using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>`fleetl4 get clusterresourceplacements`: the printer columns of Fleet's CRD, NAME GEN SCHEDULED SCHEDULEDGEN
/// APPLIED APPLIEDGEN AGE; -o wide adds the selected clusters.</summary>
public static class PlacementTable
{
    public static Table Of(IEnumerable<PlacementView> placements, bool wide, DateTimeOffset now)
    {
        var table = new Table(wide
            ? ["NAME", "GEN", "SCHEDULED", "SCHEDULEDGEN", "APPLIED", "APPLIEDGEN", "CLUSTERS", "AGE"]
            : ["NAME", "GEN", "SCHEDULED", "SCHEDULEDGEN", "APPLIED", "APPLIEDGEN", "AGE"]);
        foreach (var p in placements)
        {
            // An absent condition leaves both of its cells blank, as kubectl prints a JSONPath that matches nothing.
            var scheduled = p.Conditions.FirstOrDefault(c => c.Type == PlacementApi.Scheduled);
            var applied = p.Conditions.FirstOrDefault(c => c.Type == PlacementApi.Applied);
            var cells = new List<string>
            {
                p.Name, Number(p.Generation), scheduled?.Status ?? "", scheduled is null ? "" : Number(scheduled.ObservedGeneration),
                applied?.Status ?? "", applied is null ? "" : Number(applied.ObservedGeneration),
            };
            if (wide) cells.Add(p.Clusters.Count == 0 ? "<none>" : string.Join(",", p.Clusters.Select(c => c.Cluster)));
            cells.Add(Age.Since(p.CreationTimestamp, now));
            table.Add([.. cells]);
        }
        return table;
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
