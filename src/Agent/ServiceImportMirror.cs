using System.Net;
using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Models;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.Agent;

/// <summary>
/// Keeps one ServiceImport in each namespace where MultiClusterServices import it, as Fleet's MCS controller does:
/// owned by those MCSes (the first of them the controller, so Kubernetes deletes it with the last of them), labelled
/// with the import's and the controlling MCS's names, and with the hub's status. A ServiceImport labelled as ours that
/// no MultiClusterService imports any more (deleted, or switched to another import; also while the agent was down)
/// is deleted.
/// </summary>
public sealed class ServiceImportMirror(IKubernetes k8s, RequestBudget budget, ILogger logger)
{
    /// <summary>The label selector of the ServiceImports the agent created.</summary>
    public const string Selector = FleetAnnotations.ServiceImportLabel + "," + FleetAnnotations.MultiClusterServiceLabel;

    private const string Group = FleetApi.NetworkingGroup;
    private const string Version = FleetApi.ServiceImportVersion;

    // Status last written per ServiceImport, for one the watch has not shown yet (just created by us).
    private readonly Dictionary<NamespacedName, JsonObject> _written = [];

    public int Writes { get; private set; } // one mirror pass at a time

    /// <summary>What each MCS imports: ServiceImport namespace/name -> the MCSes importing it.</summary>
    public static Dictionary<NamespacedName, List<MultiClusterServiceResource>> Importers(IEnumerable<MultiClusterServiceResource> mcses)
    {
        var result = new Dictionary<NamespacedName, List<MultiClusterServiceResource>>();
        foreach (var mcs in mcses)
        {
            if (ImportOf(mcs) is not { } import) continue;
            if (!result.TryGetValue(import, out var list)) result[import] = list = [];
            list.Add(mcs);
        }
        return result;
    }

    /// <summary>The ServiceImport an MCS imports (same namespace), or null when its spec names none.</summary>
    public static NamespacedName? ImportOf(MultiClusterServiceResource mcs) =>
        mcs.Spec?.ServiceImport?.Name is { Length: > 0 } name ? new NamespacedName(MemberObjects.NameOf(mcs).Namespace, name) : null;

    /// <summary>
    /// The ownerReferences a ServiceImport imported by <paramref name="importers"/> should have: one per MCS, the
    /// controller first. The controller stays the one it is while that MCS still imports it; otherwise the oldest.
    /// </summary>
    public static IReadOnlyList<V1OwnerReference> Owners(IReadOnlyList<MultiClusterServiceResource> importers, ServiceImportResource? existing)
    {
        var ordered = importers.Where(m => m.Metadata.Uid is not null)
            .OrderBy(m => m.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(m => m.Metadata.Name, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0) return [];
        var current = existing?.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid;
        var controller = ordered.FirstOrDefault(m => m.Metadata.Uid == current) ?? ordered[0];
        return [.. ordered.OrderBy(m => m == controller ? 0 : 1).Select(m => new V1OwnerReference
        {
            ApiVersion = FleetApi.MultiClusterServiceApiVersion,
            Kind = FleetApi.MultiClusterService,
            Name = m.Metadata.Name,
            Uid = m.Metadata.Uid,
            Controller = m == controller ? true : null,
            BlockOwnerDeletion = m == controller ? true : null,
        })];
    }

    /// <summary>Creates, updates and deletes ServiceImports so that each imported one exists with the hub's status.</summary>
    /// <param name="mcses">Every MultiClusterService of the member (the watch cache).</param>
    /// <param name="mirrored">Every ServiceImport labelled as ours (the watch cache).</param>
    /// <param name="hubImport">The hub's spec of a ServiceImport; null while the hub has not said (it is left alone then).</param>
    public async Task SyncAsync(IReadOnlyList<MultiClusterServiceResource> mcses, IReadOnlyList<ServiceImportResource> mirrored,
        Func<NamespacedName, ImportInfo?> hubImport, CancellationToken ct)
    {
        var importers = Importers(mcses);
        var existing = mirrored.ToDictionary(MemberObjects.NameOf);
        foreach (var (key, owners) in importers)
            if (hubImport(key) is { } info)
                await Try(key, () => Ensure(key, owners, existing.GetValueOrDefault(key), info, ct));
        foreach (var stale in existing.Keys.Where(k => !importers.ContainsKey(k)))
            await Try(stale, async () =>
            {
                try
                {
                    await budget.WaitAsync(ct);
                    await k8s.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, stale.Namespace, FleetApi.ServiceImports, stale.Name, cancellationToken: ct);
                    logger.LogInformation("Deleted ServiceImport {Import}: no MultiClusterService imports it", stale);
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // Already gone (Kubernetes' garbage collector, or a deletion the watch has not shown yet).
                }
                _written.Remove(stale);
            });
    }

    private async Task Ensure(NamespacedName key, IReadOnlyList<MultiClusterServiceResource> importers, ServiceImportResource? existing,
        ImportInfo info, CancellationToken ct)
    {
        var status = ResourceJson.ServiceImportStatus(info);
        var owners = Owners(importers, existing);
        var labels = new Dictionary<string, string>
        {
            [FleetAnnotations.ServiceImportLabel] = key.Name,
            [FleetAnnotations.MultiClusterServiceLabel] = owners.Count > 0 ? owners[0].Name : importers[0].Metadata.Name,
        };
        var created = false;
        if (existing is null)
        {
            try
            {
                await budget.WaitAsync(ct);
                await k8s.CustomObjects.CreateNamespacedCustomObjectAsync(new ServiceImportResource
                {
                    Metadata = new V1ObjectMeta { Name = key.Name, NamespaceProperty = key.Namespace, Labels = labels, OwnerReferences = [.. owners] },
                }, Group, Version, key.Namespace, FleetApi.ServiceImports, cancellationToken: ct);
                created = true;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Already there, though not (yet) in the watch cache: make it ours below.
            }
        }
        if (!created && (existing is null || !SameOwnership(existing.Metadata, labels, owners)))
        {
            var metadata = new JsonObject
            {
                ["labels"] = new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["ownerReferences"] = JsonNode.Parse(KubernetesJson.Serialize(owners)),
            };
            var body = new V1Patch(new JsonObject { ["metadata"] = metadata }.ToJsonString(), V1Patch.PatchType.MergePatch);
            await budget.WaitAsync(ct);
            await k8s.CustomObjects.PatchNamespacedCustomObjectAsync(body, Group, Version, key.Namespace, FleetApi.ServiceImports, key.Name, cancellationToken: ct);
        }
        var shown = created ? null : existing?.Status ?? _written.GetValueOrDefault(key);
        if (!created && JsonNode.DeepEquals(shown, status)) return;
        await StatusWriter.PatchStatus(k8s, budget, FleetApi.ServiceImports, Version, new V1ObjectMeta { Name = key.Name, NamespaceProperty = key.Namespace },
            shown, status, logger, ct);
        _written[key] = status;
        Writes++;
    }

    private static bool SameOwnership(V1ObjectMeta meta, Dictionary<string, string> labels, IReadOnlyList<V1OwnerReference> owners) =>
        labels.All(kv => meta.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value)
        && (meta.OwnerReferences ?? []).Select(Describe).SequenceEqual(owners.Select(Describe));

    private static (string, string, string, string, bool, bool) Describe(V1OwnerReference o) =>
        (o.ApiVersion, o.Kind, o.Name, o.Uid, o.Controller ?? false, o.BlockOwnerDeletion ?? false);

    private async Task Try(NamespacedName key, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Mirroring ServiceImport {Import} failed: {Error}", key, ex.Message);
        }
    }
}
