using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class LabelRulesTests
{
    private static void Validate(string key, string value) =>
        LabelRules.Validate(new Dictionary<string, string> { [key] = value });

    [Theory]
    [InlineData("fleet.azure.com/location", "eastus")]
    [InlineData("fleet.azure.com/cluster-name", "aks-member-1")]
    [InlineData("fleet.azure.com/resource-group", "My_Resource.Group-1")]
    [InlineData("fleet.azure.com/subscription-id", "00000000-0000-0000-0000-000000000000")]
    [InlineData("app", "kuard")]
    [InlineData("app.kubernetes.io/name", "kuard")]
    [InlineData("env", "")]                       // empty value is allowed
    [InlineData("fleet.azure.com/location", "")]
    [InlineData("A", "B")]
    [InlineData("Key_with.Dots-and_underscores", "Value_1.2-3")]
    [InlineData("example.com/Upper", "x")]       // name part may use upper case
    [InlineData("a-b.c/x", "y")]
    public void Valid_labels_are_accepted(string key, string value)
    {
        var ex = Record.Exception(() => Validate(key, value));
        Assert.Null(ex);
    }

    [Fact]
    public void Value_of_63_characters_is_accepted_and_key_name_of_63_too()
    {
        Validate("fleet.azure.com/" + new string('k', 63), new string('v', 63));
    }

    [Fact]
    public void Prefix_of_253_characters_is_accepted()
    {
        var prefix = string.Join(".", Enumerable.Repeat(new string('p', 62), 4)) + ".a"; // 62*4 + 3 + 2 = 253
        Assert.Equal(253, prefix.Length);
        Validate(prefix + "/name", "v");
    }

    [Theory]
    // bad prefixes
    [InlineData("Fleet.Azure.com/location", "eastus")]   // upper-case prefix
    [InlineData("fleet_azure.com/location", "eastus")]
    [InlineData("-fleet.azure.com/location", "eastus")]
    [InlineData("fleet.azure.com-/location", "eastus")]
    [InlineData("fleet..azure.com/location", "eastus")]
    [InlineData(".fleet.azure.com/location", "eastus")]
    [InlineData("/location", "eastus")]                  // empty prefix
    [InlineData("fleet.azure.com\n/location", "eastus")] // newline in prefix
    // bad names
    [InlineData("fleet.azure.com/", "eastus")]           // empty name
    [InlineData("", "eastus")]
    [InlineData("fleet.azure.com/-location", "eastus")]
    [InlineData("fleet.azure.com/location-", "eastus")]
    [InlineData("fleet.azure.com/loc ation", "eastus")]
    [InlineData("fleet.azure.com/a/b", "eastus")]        // two slashes
    [InlineData("_app", "x")]
    [InlineData("app\n", "x")]
    // bad values
    [InlineData("env", "-prod")]
    [InlineData("env", "prod-")]
    [InlineData("env", "prod env")]
    [InlineData("env", "prod/env")]
    [InlineData("env", "_prod")]
    [InlineData("env", "prod\n")]                        // a trailing newline is not a valid value
    public void Invalid_labels_throw_naming_the_key(string key, string value)
    {
        var ex = Assert.Throws<FleetValidationException>(() => Validate(key, value));
        Assert.Equal($"labels[{key}]", ex.Field);
    }

    [Fact]
    public void Long_value_is_rejected()
    {
        var ex = Assert.Throws<FleetValidationException>(() => Validate("fleet.azure.com/location", new string('v', 64)));
        Assert.Equal("labels[fleet.azure.com/location]", ex.Field);
        Assert.Contains("value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_key_name_is_rejected()
    {
        var key = "fleet.azure.com/" + new string('k', 64);
        var ex = Assert.Throws<FleetValidationException>(() => Validate(key, "v"));
        Assert.Equal($"labels[{key}]", ex.Field);
    }

    [Fact]
    public void Long_prefix_is_rejected()
    {
        var prefix = string.Join(".", Enumerable.Repeat(new string('p', 62), 4)) + ".ab"; // 254
        Assert.Equal(254, prefix.Length);
        var ex = Assert.Throws<FleetValidationException>(() => Validate(prefix + "/name", "v"));
        Assert.Contains("prefix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_prefix_message_names_the_prefix()
    {
        var ex = Assert.Throws<FleetValidationException>(() => Validate("Fleet.Azure.com/location", "eastus"));
        Assert.Contains("Fleet.Azure.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_label_is_checked_not_only_the_first()
    {
        var labels = new Dictionary<string, string>
        {
            ["fleet.azure.com/location"] = "eastus",
            ["env"] = "prod",
            ["bad key"] = "x",
        };
        var ex = Assert.Throws<FleetValidationException>(() => LabelRules.Validate(labels));
        Assert.Equal("labels[bad key]", ex.Field);
    }

    [Fact]
    public void Empty_label_set_is_valid()
    {
        LabelRules.Validate(new Dictionary<string, string>());
    }
}
