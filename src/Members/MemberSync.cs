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

    /// <summary>The changes that bring the hub to the member's current state of these exports and MCSes.</summary>
    /// <param name="revision">The member's newest resourceVersion, deletions included, so that a report made after a
    /// deletion is never mistaken for an older one. 0 = take it from the objects.</param>
    public static MemberChanges Changes(MemberObjects objects, IEnumerable<NamespacedName> exports, IEnumerable<NamespacedName> mcses, long revision = 0)
    {
        var reports = new List<ServiceExportReport>();
        var removed = new List<NamespacedName>();
        foreach (var key in exports)
            if (Report(objects, key) is { } report) reports.Add(report);
            else removed.Add(key);
        var applied = new List<MultiClusterServiceSpec>();
        var deleted = new List<NamespacedName>();
        foreach (var key in mcses)
            if (objects.MultiClusterServices.TryGetValue(key, out var mcs)) applied.Add(MemberTranslator.McsSpec(mcs));
            else deleted.Add(key);
        return new MemberChanges(reports, removed, applied, deleted, revision);
    }

    /// <summary>Sends the current state of these exports and MCSes; returns what the hub took and refused.</summary>
    public Task<MemberSyncResult> SyncAsync(MemberObjects objects, IEnumerable<NamespacedName> exports, IEnumerable<NamespacedName> mcses, long revision = 0) =>
        hub.SyncAsync(Changes(objects, exports, mcses, revision));
}
