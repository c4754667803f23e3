namespace FleetL4.Models;

/// <summary>A Kubernetes label selector: every matchLabels pair and every expression must hold (an empty one selects all).</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.LabelSelector")]
public sealed record LabelSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelRequirement> MatchExpressions)
{
    public static readonly LabelSelector Everything = new(new Dictionary<string, string>(), []);
}

/// <summary>One matchExpressions entry: key, operator (In, NotIn, Exists, DoesNotExist) and values.</summary>
[GenerateSerializer, Immutable, Alias("fleetl4.LabelRequirement")]
public sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values);
