using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Tests.Domain;

public class LabelSelectorRuleTests
{
    private static readonly Dictionary<string, string> EastProd = new()
    {
        ["fleet.azure.com/location"] = "eastus",
        ["env"] = "prod",
        ["empty"] = "",
    };

    private static LabelSelector Labels(params string[] pairs) =>
        new(pairs.Select(p => p.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]), []);

    private static LabelSelector Expression(string key, string op, params string[] values) =>
        new(new Dictionary<string, string>(), [new LabelRequirement(key, op, values)]);

    /// <summary>(selector, matches the eastus prod cluster's labels).</summary>
    public static TheoryData<LabelSelector, bool> Cases() => new()
    {
        { LabelSelector.Everything, true },
        { Labels("fleet.azure.com/location=eastus"), true },
        { Labels("fleet.azure.com/location=eastus", "env=prod"), true },
        { Labels("fleet.azure.com/location=eastus", "env=dev"), false },  // every pair must hold
        { Labels("fleet.azure.com/location=westus"), false },
        { Labels("fleet.azure.com/location=EastUS"), false },             // values compare exactly
        { Labels("team=a"), false },                                       // a missing key does not match
        { Labels("empty="), true },                                        // an empty value matches an empty value
        { Labels("team="), false },                                        // ... not a missing key
        { Expression("env", LabelOperators.In, "prod", "staging"), true },
        { Expression("env", LabelOperators.In, "dev"), false },
        { Expression("team", LabelOperators.In, "a"), false },             // In needs the key
        { Expression("env", LabelOperators.NotIn, "dev"), true },
        { Expression("env", LabelOperators.NotIn, "prod"), false },
        { Expression("team", LabelOperators.NotIn, "a"), true },           // NotIn holds without the key
        { Expression("env", LabelOperators.Exists), true },
        { Expression("empty", LabelOperators.Exists), true },
        { Expression("team", LabelOperators.Exists), false },
        { Expression("team", LabelOperators.DoesNotExist), true },
        { Expression("env", LabelOperators.DoesNotExist), false },
        { Expression("env", "Gt", "1"), false },                           // an unknown operator selects nothing
        { new LabelSelector(new Dictionary<string, string> { ["env"] = "prod" }, [new LabelRequirement("team", LabelOperators.Exists, [])]), false },
        { new LabelSelector(new Dictionary<string, string> { ["env"] = "prod" }, [new LabelRequirement("team", LabelOperators.DoesNotExist, []),
            new LabelRequirement("fleet.azure.com/location", LabelOperators.In, ["eastus"])]), true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_as_Kubernetes_does(LabelSelector selector, bool matches)
    {
        Assert.Equal(matches, LabelSelectorRule.Matches(selector, EastProd));
    }

    [Fact]
    public void An_empty_selector_matches_a_cluster_without_labels_and_a_requirement_does_not()
    {
        var none = new Dictionary<string, string>();
        Assert.True(LabelSelectorRule.Matches(LabelSelector.Everything, none));
        Assert.True(LabelSelectorRule.Matches(Expression("env", LabelOperators.NotIn, "prod"), none));
        Assert.False(LabelSelectorRule.Matches(Labels("env=prod"), none));
    }
}
