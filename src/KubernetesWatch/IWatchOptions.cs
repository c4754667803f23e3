namespace FleetL4.KubernetesWatch;

/// <summary>How a <see cref="ResourceWatcher{T}"/> watches: each watch request's timeoutSeconds (capped at a third of
/// <see cref="ApiOutageBound"/>, so an outage is seen in time) and the backoff between failed lists.</summary>
public interface IWatchOptions
{
    TimeSpan WatchTimeout { get; }
    TimeSpan ApiOutageBound { get; }
    TimeSpan BackoffMin { get; }
    TimeSpan BackoffMax { get; }
}
