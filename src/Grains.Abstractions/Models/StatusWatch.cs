namespace FleetL4.Models;

/// <summary>A status watcher's (re)subscription: whether it was new (so it must send a snapshot), the cluster, and when to renew.</summary>
/// <param name="Subscribed">The watcher was not subscribed before (first call, or the cluster's grain was reactivated and
/// forgot it): changes may have been missed.</param>
/// <param name="RenewAfter">Renew (heartbeat and re-subscribe) this often while the stream is open.</param>
[GenerateSerializer, Immutable, Alias("fleetl4.StatusWatch")]
public sealed record StatusWatch(bool Subscribed, MemberClusterView Cluster, TimeSpan RenewAfter);
