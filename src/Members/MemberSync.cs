using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>
/// Pushes a member's objects to the hub: re-reports every ServiceExport whose ServiceExport, Service or
/// EndpointSlices changed, and applies or deletes changed MultiClusterServices. Level-triggered: it sends the
/// whole current state of each affected object, never a patch.
/// </summary>
public sealed class MemberSync(IMemberHub hub)
{
    /// <summary>The exports and MCSes a change of object <paramref name="o"/> affects; <paramref name="objects"/>
    /// must hold the object (for a deletion: the objects before it).</summary>
    public static void Affected(ManifestObject o, MemberObjects objects, ISet<NamespacedName> exports, ISet<NamespacedName> mcses)
    {
        var key = new NamespacedName(o.Namespace ?? "default", o.Name);
        switch (MemberObjectKinds.Classify(o))
        {
            case MemberObjectKind.Service or MemberObjectKind.ServiceExport:
                exports.Add(key);
                break;
            case MemberObjectKind.EndpointSlice:
                if (objects.SliceOwners.TryGetValue(key, out var service)) exports.Add(service);
                break;
            case MemberObjectKind.MultiClusterService:
                mcses.Add(key);
                break;
        }
    }

    /// <summary>The report for an export, or null when no ServiceExport of that name exists.</summary>
    public static ServiceExportReport? Report(MemberObjects objects, NamespacedName export) =>
        objects.ServiceExports.TryGetValue(export, out var resource)
            ? MemberTranslator.ExportReport(resource, objects.Services.GetValueOrDefault(export), objects.SlicesOf(export))
            : null;

    /// <summary>What the hub answered for each synced object (null where it was removed).</summary>
    public sealed record Result(
        IReadOnlyDictionary<NamespacedName, ServiceExportView?> Exports,
        IReadOnlyDictionary<NamespacedName, MultiClusterServiceView?> MultiClusterServices,
        IReadOnlyDictionary<string, FleetValidationException> Rejected);

    /// <param name="revision">The member's newest resourceVersion, deletions included, so that a report made after a
    /// deletion is never mistaken for an older one. 0 = take it from the objects.</param>
    public async Task<Result> SyncAsync(MemberObjects objects, IEnumerable<NamespacedName> exports, IEnumerable<NamespacedName> mcses, long revision = 0)
    {
        var exportViews = new Dictionary<NamespacedName, ServiceExportView?>();
        var mcsViews = new Dictionary<NamespacedName, MultiClusterServiceView?>();
        var rejected = new Dictionary<string, FleetValidationException>(StringComparer.Ordinal);
        foreach (var key in exports)
        {
            var report = Report(objects, key);
            try
            {
                if (report is not null)
                    exportViews[key] = await hub.ReportServiceExportAsync(revision > 0 ? report with { Revision = revision } : report);
                else
                {
                    await hub.RemoveServiceExportAsync(key);
                    exportViews[key] = null;
                }
            }
            catch (FleetValidationException ex)
            {
                // The hub refuses this object as it is: retrying cannot help, and must not hold up the others.
                rejected[$"{FleetApi.ServiceExport} {key}"] = ex;
            }
        }
        foreach (var key in mcses)
        {
            try
            {
                if (objects.MultiClusterServices.TryGetValue(key, out var mcs))
                    mcsViews[key] = await hub.ApplyMultiClusterServiceAsync(MemberTranslator.McsSpec(mcs));
                else
                {
                    await hub.DeleteMultiClusterServiceAsync(key);
                    mcsViews[key] = null;
                }
            }
            catch (FleetValidationException ex)
            {
                rejected[$"{FleetApi.MultiClusterService} {key}"] = ex;
            }
        }
        return new Result(exportViews, mcsViews, rejected);
    }
}
