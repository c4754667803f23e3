using FleetL4.Models;
namespace FleetL4.Domain;
// TEMPORARY until the rules branch merges.
public sealed record ClusterCandidate(string Name, IReadOnlyDictionary<string, string> Labels);
public sealed record ScheduleDecision(IReadOnlyList<string> Clusters, bool Fulfilled, string Message);
public static class PlacementScheduler { public static ScheduleDecision Schedule(PlacementPolicy policy, IReadOnlyList<ClusterCandidate> clusters, IReadOnlyCollection<string> previous) => throw new NotImplementedException(); }
public static class ResourceSelection { public static IReadOnlyList<string> Namespaces(IReadOnlyList<ResourceSelector> selectors, IReadOnlyList<ManifestObject> namespaceObjects) => throw new NotImplementedException();
 public static IReadOnlyList<ManifestObject> ClusterScoped(IReadOnlyList<ResourceSelector> selectors, IReadOnlyList<ManifestObject> clusterScopedObjects) => throw new NotImplementedException(); }
public static class PlacedObject { public static ManifestObject ForMember(ManifestObject hubObject, string placement) => throw new NotImplementedException(); }
public static class PlacementConditions { public static IReadOnlyList<Condition> Next(IReadOnlyList<Condition> current, ScheduleDecision decision, long generation, IReadOnlyList<ClusterPlacementStatus> clusters, long revision, long revisionGeneration, DateTimeOffset now) => throw new NotImplementedException(); }
