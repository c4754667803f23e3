namespace FleetL4.Domain;

/// <summary>
/// Every condition message FleetL4 writes, in one place. Where Azure Fleet has a text, ours starts with Fleet's
/// (users and runbooks grep for them) and adds what Fleet leaves out: the reason, the field, the winning cluster.
/// </summary>
public static class ConditionMessages
{
    // ServiceExport Valid (Fleet: pkg/controllers/member/serviceexport)
    public static string ServiceValid(NamespacedName service) => $"service {service} is valid for export";
    public static string ServiceWeightZero(NamespacedName service) => $"exported service {service} with 0 weight";
    public static string ServiceNotFound(NamespacedName service) => $"service {service} is not found";
    public static string ServiceIneligible(NamespacedName service, string why) => $"service {service} is not eligible for export: {why}";

    public static string InvalidWeight(NamespacedName export, string error, bool stillServing) =>
        $"serviceExport {export} has an invalid weight annotation, err = {error}"
        + (stillServing ? "; its last valid weight keeps serving until the annotation is fixed" : "");

    // ServiceExport Conflict (Fleet: pkg/common/condition)
    public static string PendingConflictResolution(NamespacedName service) => $"service {service} is pending export conflict resolution";
    public static string NoConflict(NamespacedName service) => $"service {service} is exported without conflict";

    public static string ConflictWithOldest(NamespacedName service, string winner, string field, string detail) =>
        $"service {service} is in conflict with other exported services: its {field} differ from the oldest export, in cluster \"{winner}\" ({detail}); this export is not in use";

    public static string ConflictAsOldest(NamespacedName service, IEnumerable<string> losers, IEnumerable<string> fields) =>
        $"service {service} is in conflict with other exported services: this export is the oldest and is the one in use; "
        + $"the {string.Join(" and ", fields.Distinct())} of the export{(losers.Count() == 1 ? "" : "s")} in cluster{(losers.Count() == 1 ? "" : "s")} "
        + $"{string.Join(", ", losers.Select(l => $"\"{l}\""))} differ and are not in use";

    // MultiClusterService Valid (Fleet: pkg/controllers/multiclusterservice)
    public static string FoundServiceImport(NamespacedName import, IEnumerable<string> clusters) =>
        $"found valid service import {import} (exported by {string.Join(", ", clusters)})";

    public static string UnknownServiceImport(NamespacedName import) =>
        $"importing service; if the condition remains for a while, please verify that service has been exported or service has been exported by other multiClusterService (service import {import} has no exporting cluster)";

    public static string InvalidSpec(string field, string detail) => $"{field}: {detail}; the multi-cluster service imports nothing until it is fixed";

    public static string InternalAnnotationIgnored(string key, string value) =>
        $"annotation {key} \"{value}\" is not a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False), so the load balancer is public";
}
