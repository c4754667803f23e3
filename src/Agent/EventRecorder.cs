using System.Threading.Channels;
using System.Net;
using System.Text.Json.Nodes;
using FleetL4.Members;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.Agent;

/// <summary>
/// Records core/v1 Events on member objects, as client-go's recorder does: a new Event named
/// <c>&lt;object&gt;.&lt;hex time&gt;</c>, or, for the same object, type, reason and message again, the earlier Event
/// patched with a higher count and lastTimestamp. Best effort: a failure is logged, never thrown.
/// </summary>
public sealed class EventRecorder(IKubernetes k8s, string cluster, RequestBudget budget, ILogger logger)
{
    public const string Component = "fleetl4-agent";
    private const int MaxRemembered = 4096;
    private const int MaxQueued = 10_000;

    // Events are best effort: they queue behind their own budget and never hold up a status write. Under a storm the
    // oldest are dropped, as client-go's recorder drops them.
    private readonly Channel<(IKubernetesObject<V1ObjectMeta> On, FleetEvent Event)> _queue =
        Channel.CreateBounded<(IKubernetesObject<V1ObjectMeta>, FleetEvent)>(new BoundedChannelOptions(MaxQueued)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

    public void Enqueue(IKubernetesObject<V1ObjectMeta> on, FleetEvent e) => _queue.Writer.TryWrite((on, e));

    /// <summary>Records the queued Events one at a time (so no two writes race on one Event's count) until stopped.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await foreach (var (on, e) in _queue.Reader.ReadAllAsync(ct))
        {
            await budget.WaitAsync(ct);
            await RecordAsync(on, e, ct);
        }
    }

    private readonly Dictionary<(string? Uid, string Type, string Reason, string Message), (string Name, int Count)> _recorded = [];
    private long _sequence;

    private async Task RecordAsync(IKubernetesObject<V1ObjectMeta> on, FleetEvent e, CancellationToken ct)
    {
        var meta = on.Metadata;
        var ns = meta.NamespaceProperty ?? "default";
        var key = (meta.Uid, e.Type, e.Reason, e.Message);
        var now = DateTime.UtcNow;
        try
        {
            if (_recorded.TryGetValue(key, out var earlier))
            {
                try
                {
                    var patch = new JsonObject { ["count"] = earlier.Count + 1, ["lastTimestamp"] = ResourceJson.Time(now) };
                    await k8s.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), earlier.Name, ns, cancellationToken: ct);
                    _recorded[key] = (earlier.Name, earlier.Count + 1);
                    return;
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // The earlier Event has expired: record a new one.
                }
            }
            // client-go's name: the object's name and the time in Unix nanoseconds, in hex (plus a counter within one tick).
            var name = $"{meta.Name}.{(now - DateTime.UnixEpoch).Ticks * 100 + ++_sequence % 100:x}";
            await k8s.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = on.ApiVersion,
                    Kind = on.Kind,
                    Name = meta.Name,
                    NamespaceProperty = ns,
                    Uid = meta.Uid,
                    ResourceVersion = meta.ResourceVersion,
                },
                Type = e.Type,
                Reason = e.Reason,
                Message = e.Message,
                Source = new V1EventSource { Component = Component },
                ReportingComponent = Component,
                ReportingInstance = $"{Component}-{cluster}",
                Count = 1,
                FirstTimestamp = now,
                LastTimestamp = now,
            }, ns, cancellationToken: ct);
            if (_recorded.Count >= MaxRemembered) _recorded.Clear();
            _recorded[key] = (name, 1);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Recording event {Reason} on {Kind} {Namespace}/{Name} failed: {Error}", e.Reason, on.Kind, ns, meta.Name, ex.Message);
        }
    }
}
