using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class ConditionSetTests
{
    private static readonly DateTimeOffset T1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddMinutes(5);

    [Fact]
    public void Adds_a_new_condition_at_the_end_with_now_as_transition_time()
    {
        var list = ConditionSet.Set([], "Valid", "True", "ServiceIsValid", "ok", 1, T1);
        var conditions = ConditionSet.Set(list, "Conflict", "Unknown", "ServicePendingConflictResolution", "pending", 1, T2);
        Assert.Equal(["Valid", "Conflict"], conditions.Select(c => c.Type));
        Assert.Equal(T2, ConditionSet.Find(conditions, "Conflict")!.LastTransitionTime);
    }

    [Fact]
    public void Same_status_keeps_the_transition_time_but_updates_the_rest()
    {
        var list = ConditionSet.Set([], "Valid", "True", "ServiceIsValid", "ok", 1, T1);
        var updated = ConditionSet.Set(list, "Valid", "True", "ServiceIsValid", "still ok", 2, T2);
        var c = Assert.Single(updated);
        Assert.Equal(T1, c.LastTransitionTime);
        Assert.Equal(2, c.ObservedGeneration);
        Assert.Equal("still ok", c.Message);
    }

    [Fact]
    public void Status_change_moves_the_transition_time_and_keeps_the_position()
    {
        var list = ConditionSet.Set([], "Valid", "True", "ServiceIsValid", "ok", 1, T1);
        list = ConditionSet.Set(list, "Conflict", "False", "NoConflictFound", "none", 1, T1);
        var updated = ConditionSet.Set(list, "Valid", "False", "ServiceNotFound", "gone", 2, T2);
        Assert.Equal(["Valid", "Conflict"], updated.Select(c => c.Type));
        Assert.Equal(new Condition("Valid", "False", "ServiceNotFound", "gone", 2, T2), updated[0]);
        Assert.Equal(list[1], updated[1]);
    }

    [Fact]
    public void Unchanged_condition_returns_the_same_list()
    {
        var list = ConditionSet.Set([], "Valid", "True", "ServiceIsValid", "ok", 1, T1);
        Assert.Same(list, ConditionSet.Set(list, "Valid", "True", "ServiceIsValid", "ok", 1, T2));
    }

    [Fact]
    public void Find_returns_null_for_a_missing_type()
    {
        var list = ConditionSet.Set([], "Valid", "True", "ServiceIsValid", "ok", 1, T1);
        Assert.Null(ConditionSet.Find(list, "Conflict"));
        Assert.NotNull(ConditionSet.Find(list, "Valid"));
    }
}
