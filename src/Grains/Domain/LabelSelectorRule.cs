using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Kubernetes label selector semantics: every matchLabels pair equal and every expression true; an empty selector matches everything.</summary>
public static class LabelSelectorRule
{
    public static bool Matches(LabelSelector selector, IReadOnlyDictionary<string, string> labels) =>
        selector.MatchLabels.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value)
        && selector.MatchExpressions.All(e => Holds(e, labels));

    // An operator validation would refuse matches nothing, so a bad selector never places anywhere.
    private static bool Holds(LabelRequirement e, IReadOnlyDictionary<string, string> labels)
    {
        var value = labels.GetValueOrDefault(e.Key);
        var listed = value is not null && e.Values.Contains(value);
        return e.Operator switch
        {
            LabelOperators.In => listed,
            LabelOperators.NotIn => !listed,
            LabelOperators.Exists => value is not null,
            LabelOperators.DoesNotExist => value is null,
            _ => false,
        };
    }
}
