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
/// Writes the hub's verdicts back into the member with merge patches on the /status subresource (ServiceExport
/// conditions; MultiClusterService load balancer and conditions), in the CRDs' shape (<see cref="ResourceJson"/>).
/// A write is skipped when the object already shows that status (no write storms, also after a restart), and a
/// 409 is retried once after a fresh read. When a condition changes to what the object did not show, the Event
/// Fleet records for it is recorded (so a restarted agent records none for what is already shown).
/// </summary>
public sealed class StatusWriter(IKubernetes k8s, EventRecorder events, RequestBudget budget, ILogger logger)
{
    // uid -> condition type -> (status, reason) last recorded: a write that races a watch event showing the old
    // status does not record the same transition twice.
    private readonly Dictionary<string, Dictionary<string, (string Status, string Reason)>> _recorded = new(StringComparer.Ordinal);
    private readonly Lock _lock = new(); // writers run in parallel; Forget comes from the watch callbacks

    public int Writes => Volatile.Read(ref _writes);
    private int _writes;

    public Task ServiceExport(ServiceExportResource export, ServiceExportView view, CancellationToken ct) =>
        Write(export, export.Status, status => export.Status = status, FleetApi.ServiceExports, FleetApi.ServiceExportVersion,
            ResourceJson.ServiceExportStatus(view), view.Conditions, c => FleetEvents.ForServiceExport(export.Metadata.Name, c), ct);

    public Task MultiClusterService(MultiClusterServiceResource mcs, MultiClusterServiceView view, CancellationToken ct) =>
        Write(mcs, mcs.Status, status => mcs.Status = status, FleetApi.MultiClusterServices, FleetApi.MultiClusterServiceVersion,
            ResourceJson.MultiClusterServiceStatus(view), view.Conditions, c => FleetEvents.ForMultiClusterService(view.ServiceImportName, c), ct);

    /// <summary>Patches the status when it differs from what the object shows, then records the Events of the transitions.</summary>
    private async Task Write(IKubernetesObject<V1ObjectMeta> on, JsonObject? shown, Action<JsonObject> keep, string plural, string version,
        JsonObject status, IEnumerable<Condition> conditions, Func<Condition, FleetEvent?> eventFor, CancellationToken ct)
    {
        if (JsonNode.DeepEquals(status, shown)) return;
        await PatchStatus(k8s, budget, plural, version, on.Metadata, shown, status, logger, ct);
        Interlocked.Increment(ref _writes);
        keep(status);
        RecordTransitions(on, shown, conditions, eventFor);
    }

    /// <summary>The object is gone: forget what was recorded for it.</summary>
    public void Forget(string? uid)
    {
        if (uid is null) return;
        lock (_lock) _recorded.Remove(uid);
    }

    private void RecordTransitions(IKubernetesObject<V1ObjectMeta> on, JsonObject? shown, IEnumerable<Condition> conditions,
        Func<Condition, FleetEvent?> eventFor)
    {
        var uid = on.Metadata.Uid ?? "";
        Dictionary<string, (string Status, string Reason)> recorded;
        lock (_lock)
        {
            if (!_recorded.TryGetValue(uid, out recorded!)) _recorded[uid] = recorded = new(StringComparer.Ordinal);
            // A condition that is gone may come back: that is a transition again.
            foreach (var gone in recorded.Keys.Where(type => conditions.All(c => c.Type != type)).ToArray()) recorded.Remove(gone);
        }
        foreach (var c in conditions)
        {
            var was = shown?["conditions"] is JsonArray list
                ? list.FirstOrDefault(x => x?["type"]?.GetValue<string>() == c.Type) is { } old
                    ? (old["status"]?.GetValue<string>(), old["reason"]?.GetValue<string>())
                    : default
                : default;
            if (was == (c.Status, c.Reason)) continue;
            lock (_lock)
            {
                if (recorded.TryGetValue(c.Type, out var last) && last == (c.Status, c.Reason)) continue;
                recorded[c.Type] = (c.Status, c.Reason);
            }
            if (eventFor(c) is { } e) events.Enqueue(on, e);
        }
    }

    /// <summary>Merge-patches /status from what the object shows to <paramref name="status"/>; on a 409, once more
    /// from a fresh read.</summary>
    internal static async Task PatchStatus(IKubernetes k8s, RequestBudget budget, string plural, string version, V1ObjectMeta meta, JsonObject? shown, JsonObject status,
        ILogger logger, CancellationToken ct)
    {
        var (ns, name) = (meta.NamespaceProperty, meta.Name);
        for (var attempt = 0; ; attempt++)
        {
            await budget.WaitAsync(ct);
            var body = new V1Patch(new JsonObject { ["status"] = MergePatch.Between(shown, status) }.ToJsonString(), V1Patch.PatchType.MergePatch);
            try
            {
                await k8s.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, FleetApi.NetworkingGroup, version, ns, plural, name, cancellationToken: ct);
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt == 0)
            {
                logger.LogInformation("{Plural} {Namespace}/{Name}: conflict writing status; re-reading", plural, ns, name);
                await budget.WaitAsync(ct);
                var fresh = await k8s.CustomObjects.GetNamespacedCustomObjectAsync(FleetApi.NetworkingGroup, version, ns, plural, name, ct);
                shown = JsonNode.Parse(KubernetesJson.Serialize(fresh))?["status"] as JsonObject;
            }
        }
    }
}
