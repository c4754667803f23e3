using FleetL4.Models;

namespace FleetL4.Client;

/// <summary>One message of a cluster's status stream: the first of a snapshot has <see cref="Resync"/> set;
/// <see cref="ResendExports"/> names exports whose latest report the hub lost (send them again); <see cref="WorkChanged"/>
/// says that what placements put on the cluster changed (read it with FleetClient.GetWorkAsync; a snapshot always sets it).</summary>
public sealed record StatusUpdate(bool Resync, IReadOnlyList<ServiceExportView> Exports, IReadOnlyList<MultiClusterServiceView> MultiClusterServices,
    IReadOnlyList<NamespacedName>? ResendExports = null, bool WorkChanged = false);
