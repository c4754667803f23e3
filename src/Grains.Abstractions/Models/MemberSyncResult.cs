namespace FleetL4.Models;

/// <summary>What the hub made of a <see cref="MemberChanges"/>: the view of every object it took, and the refused ones.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.MemberSyncResult")]
public sealed record MemberSyncResult(
    IReadOnlyList<ServiceExportView> Exports,
    IReadOnlyList<MultiClusterServiceView> MultiClusterServices,
    IReadOnlyList<SyncRejection> Rejected);

/// <summary>One object the hub refused as it is (naming the field); retrying it unchanged cannot help.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.SyncRejection")]
public sealed record SyncRejection(string Kind, NamespacedName Object, string Field, string Detail)
{
    public FleetValidationException ToException() => new(Field, Detail);

    public override string ToString() => $"{Kind} {Object}: {Field}: {Detail}";
}
