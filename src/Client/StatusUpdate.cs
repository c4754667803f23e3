using FleetL4.Models;

namespace FleetL4.Client;

/// <summary>One message of a cluster's status stream: the first of a snapshot has <see cref="Resync"/> set.</summary>
public sealed record StatusUpdate(bool Resync, IReadOnlyList<ServiceExportView> Exports, IReadOnlyList<MultiClusterServiceView> MultiClusterServices);
