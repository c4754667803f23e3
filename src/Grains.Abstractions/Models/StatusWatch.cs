namespace FleetL4.Models;

/// <summary>A status watcher's (re)subscription: whether it was new (so it must send a snapshot, of the cluster given then),
/// and when to renew. A renewal of a known watcher carries no cluster view: it costs nothing per object.</summary>
/// <param name="Subscribed">The watcher was not subscribed before (first call, or the cluster's grain was reactivated and
/// forgot it): changes may have been missed.</param>
/// <param name="RenewAfter">Renew (heartbeat and re-subscribe) this often while the stream is open.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.StatusWatch")]
public sealed record StatusWatch(bool Subscribed, MemberClusterView? Cluster, TimeSpan RenewAfter);
