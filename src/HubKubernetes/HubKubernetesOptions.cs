using FleetL4.KubernetesWatch;

namespace FleetL4.HubKubernetes;

/// <summary>
/// The hub's watch of its own Kubernetes API server; section "Hub:Kubernetes". With <see cref="Watch"/> on, the API
/// server is the source of truth for the kinds of <see cref="HubKinds"/>: what kubectl applies there is applied to
/// the hub, what it deletes is deleted, and each ClusterResourcePlacement's status is written back.
/// </summary>
public sealed class HubKubernetesOptions : IWatchOptions
{
    public const string Section = "Hub:Kubernetes";

    public bool Watch { get; set; }

    /// <summary>A kubeconfig file (its current context); unset: the pod's in-cluster configuration.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Namespaces whose objects the hub takes; empty = all (Namespaces and placements are always all).</summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>timeoutSeconds of each watch request; the watch re-watches when the server ends the stream.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Only bounds the watch timeout here (the agent uses it for its heartbeat; the hub has none).</summary>
    public TimeSpan ApiOutageBound { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan BackoffMin { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Status changes of one placement within this window are one write (a burst of member reports).</summary>
    public TimeSpan StatusCoalescing { get; set; } = TimeSpan.FromMilliseconds(100);
}
