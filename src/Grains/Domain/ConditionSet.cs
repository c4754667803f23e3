using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Sets a condition the Kubernetes way: lastTransitionTime moves only when the status changes.</summary>
public static class ConditionSet
{
    public static IReadOnlyList<Condition> Set(
        IReadOnlyList<Condition> conditions, string type, string status, string reason, string message,
        long observedGeneration, DateTimeOffset now)
    {
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        var since = existing is not null && existing.Status == status ? existing.LastTransitionTime : now;
        var updated = new Condition(type, status, reason, message, observedGeneration, since);
        if (existing == updated) return conditions;
        var list = conditions.Where(c => c.Type != type).ToList();
        var index = existing is null ? list.Count : conditions.ToList().IndexOf(existing);
        list.Insert(Math.Min(index, list.Count), updated);
        return list;
    }

    /// <summary>Without the condition of that type (the same list when there is none).</summary>
    public static IReadOnlyList<Condition> Remove(IReadOnlyList<Condition> conditions, string type) =>
        conditions.Any(c => c.Type == type) ? conditions.Where(c => c.Type != type).ToList() : conditions;

    public static Condition? Find(IReadOnlyList<Condition> conditions, string type) =>
        conditions.FirstOrDefault(c => c.Type == type);
}
