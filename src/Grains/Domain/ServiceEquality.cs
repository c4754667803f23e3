using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Value equality for the models whose list members records compare by reference.</summary>
public static class ServiceEquality
{
    public static bool Same(ExportedService? a, ExportedService? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Type == b.Type && a.ClusterIP == b.ClusterIP && a.SessionAffinity == b.SessionAffinity && a.Ports.SequenceEqual(b.Ports);

    public static bool Same(ImportInfo a, ImportInfo b) =>
        a.Type == b.Type && a.SessionAffinity == b.SessionAffinity && a.Ports.SequenceEqual(b.Ports) && a.Clusters.SequenceEqual(b.Clusters);
}
