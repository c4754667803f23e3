namespace FleetL4.Domain;

/// <summary>A joined member cluster as the placement scheduler sees it: its name and labels.</summary>
public sealed record ClusterCandidate(string Name, IReadOnlyDictionary<string, string> Labels);
