namespace FleetL4.KubernetesWatch;

/// <summary>A change of one cached object: Old null = added, New null = deleted.</summary>
public sealed record WatchChange<T>(NamespacedName Key, T? Old, T? New);
