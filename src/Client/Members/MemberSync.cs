using FleetL4.Models;

namespace FleetL4.Client.Members;

/// <summary>
/// Pushes a member's objects to the hub through the facade: re-reports every ServiceExport whose ServiceExport,
/// Service or EndpointSlices changed, and applies or deletes changed MultiClusterServices. Level-triggered: it
/// sends the whole current state of each affected object, never a patch.
/// </summary>
public sealed class MemberSync(FleetClient fleet, string cluster)
{
    /// <summary>The exports (namespace/name) and MCSes an object change affects.</summary>
    public static void Affected(ManifestObject o, MemberObjects objects, ISet<string> exports, ISet<string> mcses)
    {
        var key = MemberObjects.Key(o.Namespace, o.Name);
        switch (MemberObjectKinds.Classify(o))
        {
            case MemberObjectKind.Service or MemberObjectKind.ServiceExport:
                exports.Add(key);
                break;
            case MemberObjectKind.EndpointSlice:
                var service = ServiceNameOf(o);
                if (service is not null) exports.Add(MemberObjects.Key(o.Namespace, service));
                break;
            case MemberObjectKind.MultiClusterService:
                mcses.Add(key);
                break;
        }
    }

    /// <summary>The report for an export key, or null when no ServiceExport of that name exists.</summary>
    public static ServiceExportReport? Report(MemberObjects objects, string key) =>
        objects.ServiceExports.TryGetValue(key, out var export)
            ? MemberTranslator.ExportReport(export, objects.Services.GetValueOrDefault(key), objects.SlicesOf(key))
            : null;

    /// <summary>What the hub answered for each synced object (null where it was removed).</summary>
    public sealed record Result(
        IReadOnlyDictionary<string, ServiceExportView?> Exports,
        IReadOnlyDictionary<string, MultiClusterServiceView?> MultiClusterServices,
        IReadOnlyDictionary<string, FleetValidationException> Rejected);

    /// <param name="revision">The member's newest resourceVersion, deletions included, so that a report made after a
    /// deletion is never mistaken for an older one. 0 = take it from the objects.</param>
    public async Task<Result> SyncAsync(MemberObjects objects, IEnumerable<string> exports, IEnumerable<string> mcses, long revision = 0)
    {
        var exportViews = new Dictionary<string, ServiceExportView?>(StringComparer.Ordinal);
        var mcsViews = new Dictionary<string, MultiClusterServiceView?>(StringComparer.Ordinal);
        var rejected = new Dictionary<string, FleetValidationException>(StringComparer.Ordinal);
        foreach (var key in exports)
        {
            var report = Report(objects, key);
            try
            {
                if (report is not null)
                    exportViews[key] = await fleet.ReportServiceExportAsync(cluster, revision > 0 ? report with { Revision = revision } : report);
                else
                {
                    await fleet.RemoveServiceExportAsync(cluster, Namespace(key), Name(key));
                    exportViews[key] = null;
                }
            }
            catch (FleetValidationException ex)
            {
                // The hub refuses this object as it is: retrying cannot help, and must not hold up the others.
                rejected[$"ServiceExport {key}"] = ex;
            }
        }
        foreach (var key in mcses)
        {
            try
            {
                if (objects.MultiClusterServices.TryGetValue(key, out var mcs))
                    mcsViews[key] = await fleet.ApplyMultiClusterServiceAsync(cluster, MemberTranslator.McsSpec(mcs));
                else
                {
                    await fleet.DeleteMultiClusterServiceAsync(cluster, Namespace(key), Name(key));
                    mcsViews[key] = null;
                }
            }
            catch (FleetValidationException ex)
            {
                rejected[$"MultiClusterService {key}"] = ex;
            }
        }
        return new Result(exportViews, mcsViews, rejected);
    }

    private static string? ServiceNameOf(ManifestObject o)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(o.Json);
        return node?["metadata"]?["labels"]?[Manifests.FleetResources.ServiceNameLabel]?.GetValue<string>();
    }

    public static string Namespace(string key) => key[..key.IndexOf('/')];
    public static string Name(string key) => key[(key.IndexOf('/') + 1)..];
}
