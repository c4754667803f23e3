using FleetL4.Models;

namespace FleetL4.State;

/// <summary>A ClusterResourcePlacement: the object as applied, its spec, and what it decided and was told.</summary>
[GenerateSerializer, Alias("fleetl4.PlacementState")]
public sealed class PlacementState
{
    [Id(0)] public bool Exists { get; set; }

    /// <summary>The object with server-set metadata (no status: that is <see cref="Conditions"/> and <see cref="Statuses"/>).</summary>
    [Id(1)] public string? Json { get; set; }

    /// <summary>The object as the user last applied it, to tell "unchanged" from "configured".</summary>
    [Id(2)] public string? AppliedJson { get; set; }

    [Id(3)] public PlacementSpec? Spec { get; set; }
    [Id(4)] public long Generation { get; set; }
    [Id(5)] public DateTimeOffset CreationTimestamp { get; set; }
    [Id(6)] public List<Condition> Conditions { get; set; } = [];

    /// <summary>The clusters the last scheduling chose (PickN keeps them where it can).</summary>
    [Id(7)] public List<string> Clusters { get; set; } = [];

    /// <summary>Moves whenever the selected objects or the generation change; members report per revision.</summary>
    [Id(8)] public long Revision { get; set; }

    /// <summary>The generation <see cref="Revision"/> was made for (the Applied condition's observedGeneration).</summary>
    [Id(9)] public long RevisionGeneration { get; set; }

    /// <summary>A digest of the placed objects of <see cref="Revision"/>, to see whether a reselection changed them.</summary>
    [Id(10)] public string ResourceDigest { get; set; } = "";

    [Id(11)] public List<ResourceId> Resources { get; set; } = [];

    /// <summary>The revision handed to each cluster.</summary>
    [Id(12)] public Dictionary<string, long> Placed { get; set; } = new(StringComparer.Ordinal);

    [Id(13)] public Dictionary<string, ClusterPlacementStatus> Statuses { get; set; } = new(StringComparer.Ordinal);
}
