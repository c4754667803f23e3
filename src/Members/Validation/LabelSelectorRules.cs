using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>
/// A Kubernetes label selector (metav1.LabelSelector) read from JSON as the API server validates it: matchLabels
/// of valid label keys and values, matchExpressions of {key, operator, values} where In and NotIn need a value and
/// Exists and DoesNotExist take none. No other field is taken: a misspelt <c>matchLabel</c> would select everything.
/// </summary>
internal static class LabelSelectorRules
{
    public static LabelSelector Parse(JsonObject selector, string path)
    {
        JsonField.RequireOnly(selector, path, "matchLabels", "matchExpressions");
        var labels = JsonField.StringMap(selector, "matchLabels", $"{path}.matchLabels") ?? new Dictionary<string, string>();
        LabelRules.Validate(labels, $"{path}.matchLabels");
        var expressions = JsonField.Array(selector, "matchExpressions", $"{path}.matchExpressions") ?? [];
        var requirements = new List<LabelRequirement>(expressions.Count);
        for (var i = 0; i < expressions.Count; i++)
        {
            var at = $"{path}.matchExpressions[{i}]";
            requirements.Add(Requirement(JsonField.ObjectItem(expressions[i], at), at));
        }
        return new LabelSelector(labels, requirements);
    }

    private static LabelRequirement Requirement(JsonObject expression, string path)
    {
        JsonField.RequireOnly(expression, path, "key", "operator", "values");
        var key = JsonField.String(expression, "key", $"{path}.key") ?? throw new FleetValidationException($"{path}.key", "is required");
        LabelRules.RequireKey($"{path}.key", key);
        var op = JsonField.String(expression, "operator", $"{path}.operator") ?? throw new FleetValidationException($"{path}.operator", "is required");
        if (!LabelOperators.All.Contains(op))
            throw new FleetValidationException($"{path}.operator", $"{NameRules.Quote(op)} is not one of {string.Join(", ", LabelOperators.All)}");
        var items = JsonField.Array(expression, "values", $"{path}.values") ?? [];
        var values = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var value = JsonField.StringItem(items[i], $"{path}.values[{i}]");
            LabelRules.RequireValue($"{path}.values[{i}]", value);
            values.Add(value);
        }
        if (LabelOperators.TakesValues(op) && values.Count == 0)
            throw new FleetValidationException($"{path}.values", $"needs at least one value for operator {op}");
        if (!LabelOperators.TakesValues(op) && values.Count > 0)
            throw new FleetValidationException($"{path}.values", $"must be empty for operator {op}: it tests the key only");
        return new LabelRequirement(key, op, values);
    }
}
