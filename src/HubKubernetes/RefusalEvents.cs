using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.HubKubernetes;

/// <summary>
/// A Warning Event on each object of the hub's API server that the hub refused (kubectl describe shows why), once
/// per object and message, in the object's namespace ("default" for cluster-scoped objects, as Kubernetes puts
/// theirs). Best effort: a failure is logged, never thrown.
/// </summary>
public sealed class RefusalEvents(IKubernetes k8s, ILogger logger)
{
    public const string Component = "fleetl4-hub";
    public const string Reason = EventReasons.RefusedByHub;
    private const int MaxRemembered = 4096;

    private readonly HashSet<(string? Uid, string Message)> _recorded = [];

    public async Task RecordAsync(UnstructuredObject on, string message, CancellationToken ct)
    {
        var meta = on.Metadata;
        lock (_recorded)
        {
            if (_recorded.Count >= MaxRemembered) _recorded.Clear();
            if (!_recorded.Add((meta.Uid, message))) return;
        }
        var ns = meta.NamespaceProperty ?? "default";
        var now = DateTime.UtcNow;
        try
        {
            await k8s.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                // client-go's naming: the object's name and the time in Unix nanoseconds, in hex.
                Metadata = new V1ObjectMeta { Name = $"{meta.Name}.{(now - DateTime.UnixEpoch).Ticks * 100:x}", NamespaceProperty = ns },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = on.ApiVersion, Kind = on.Kind, Name = meta.Name, NamespaceProperty = meta.NamespaceProperty, Uid = meta.Uid,
                    ResourceVersion = meta.ResourceVersion,
                },
                Type = EventTypes.Warning, Reason = Reason, Message = message,
                Source = new V1EventSource { Component = Component }, ReportingComponent = Component, ReportingInstance = Environment.MachineName,
                Count = 1, FirstTimestamp = now, LastTimestamp = now,
            }, ns, cancellationToken: ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Recording the refusal of {Kind} {Name} as an Event failed: {Error}", on.Kind, meta.Name, ex.Message);
        }
    }
}
