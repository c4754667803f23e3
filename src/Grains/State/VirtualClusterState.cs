using FleetL4.Models;

namespace FleetL4.State;

/// <summary>A virtual member's objects, as its API server would keep them (key: group|kind|namespace|name).</summary>
[GenerateSerializer, Alias("fleetl4.VirtualClusterState")]
public sealed class VirtualClusterState
{
    [Id(0)] public Dictionary<string, ManifestObject> Objects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The object as the user last applied it, to tell "unchanged" from "configured".</summary>
    [Id(1)] public Dictionary<string, string> Applied { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public long ResourceVersion { get; set; }

    /// <summary>The placement that put each object here (an object the user applied has no entry), so that only what
    /// a placement put here is removed when it no longer places it.</summary>
    [Id(3)] public Dictionary<string, string> PlacedBy { get; set; } = new(StringComparer.Ordinal);
}
