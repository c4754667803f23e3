namespace FleetL4.Domain;

/// <summary>The operators of a label selector's matchExpressions (metav1.LabelSelectorOperator), spelled once.</summary>
public static class LabelOperators
{
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string Exists = "Exists";
    public const string DoesNotExist = "DoesNotExist";

    public static readonly IReadOnlyList<string> All = [In, NotIn, Exists, DoesNotExist];

    /// <summary>In and NotIn compare with values; Exists and DoesNotExist take none.</summary>
    public static bool TakesValues(string op) => op is In or NotIn;
}
