using FleetL4.Models;

namespace FleetL4.State;

/// <summary>The hub's objects of one namespace (key: group|kind|name), as its API server would keep them.</summary>
[GenerateSerializer, Alias("fleetl4.HubObjectsState")]
public sealed class HubObjectsState
{
    [Id(0)] public Dictionary<string, ManifestObject> Objects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The object as the user last applied it, to tell "unchanged" from "configured".</summary>
    [Id(1)] public Dictionary<string, string> Applied { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public long ResourceVersion { get; set; }
}
