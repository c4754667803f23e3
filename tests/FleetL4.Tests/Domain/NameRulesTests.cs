using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class NameRulesTests
{
    private static readonly string Chars63 = new('a', 63);
    private static readonly string Chars64 = new('a', 64);

    public static TheoryData<string, bool, bool> Cases => new()
    {
        // value, valid DNS-1123 label, valid DNS-1035 label
        { "kuard", true, true },
        { "a", true, true },
        { "kuard-demo", true, true },
        { "a1", true, true },
        { "a-1-b", true, true },
        { "a--b", true, true },
        { "1kuard", true, false },   // leading digit: fine for 1123, not for 1035
        { "0", true, false },
        { "123", true, false },
        { "kuard1", true, true },
        { "Kuard", false, false },   // upper case
        { "kuArd", false, false },
        { "-kuard", false, false },  // leading '-'
        { "kuard-", false, false },  // trailing '-'
        { "-", false, false },
        { "ku_ard", false, false },
        { "ku.ard", false, false },
        { "ku ard", false, false },
        { " kuard", false, false },
        { "kuard ", false, false },
        { "kuard\n", false, false }, // a trailing newline is not part of a label
        { "\nkuard", false, false },
        { "küard", false, false },
        { "", false, false },
        { Chars63, true, true },
        { Chars64, false, false },
        { "1" + new string('a', 62), true, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsDns1123Label_matches_table(string value, bool dns1123, bool dns1035)
    {
        _ = dns1035;
        Assert.Equal(dns1123, NameRules.IsDns1123Label(value));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsDns1035Label_matches_table(string value, bool dns1123, bool dns1035)
    {
        _ = dns1123;
        Assert.Equal(dns1035, NameRules.IsDns1035Label(value));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RequireDns1123Label_throws_exactly_for_invalid_names_and_names_the_field(string value, bool dns1123, bool dns1035)
    {
        _ = dns1035;
        var ex = Record.Exception(() => NameRules.RequireDns1123Label("metadata.name", value));
        if (dns1123)
        {
            Assert.Null(ex);
        }
        else
        {
            var fve = Assert.IsType<FleetValidationException>(ex);
            Assert.Equal("metadata.name", fve.Field);
            Assert.StartsWith("metadata.name: ", fve.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RequireDns1035Label_throws_exactly_for_invalid_names_and_names_the_field(string value, bool dns1123, bool dns1035)
    {
        _ = dns1123;
        var ex = Record.Exception(() => NameRules.RequireDns1035Label("spec.serviceImport.name", value));
        if (dns1035)
        {
            Assert.Null(ex);
        }
        else
        {
            var fve = Assert.IsType<FleetValidationException>(ex);
            Assert.Equal("spec.serviceImport.name", fve.Field);
        }
    }

    [Fact]
    public void Null_is_invalid_and_required()
    {
        Assert.False(NameRules.IsDns1123Label(null));
        Assert.False(NameRules.IsDns1035Label(null));
        var ex = Assert.Throws<FleetValidationException>(() => NameRules.RequireDns1123Label("metadata.namespace", null));
        Assert.Equal("metadata.namespace", ex.Field);
        Assert.Contains("required", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<FleetValidationException>(() => NameRules.RequireDns1035Label("spec.serviceImport.name", null));
        Assert.Equal("spec.serviceImport.name", ex.Field);
    }

    [Fact]
    public void Empty_is_reported_as_required()
    {
        var ex = Assert.Throws<FleetValidationException>(() => NameRules.RequireDns1123Label("metadata.name", ""));
        Assert.Contains("required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_long_name_message_gives_the_length_and_the_limit()
    {
        var ex = Assert.Throws<FleetValidationException>(() => NameRules.RequireDns1123Label("metadata.name", Chars64));
        Assert.Equal("metadata.name", ex.Field);
        Assert.Contains("64", ex.Message, StringComparison.Ordinal);
        Assert.Contains("63", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Very_long_name_is_shortened_in_the_message()
    {
        var value = new string('b', 1000);
        var ex = Assert.Throws<FleetValidationException>(() => NameRules.RequireDns1035Label("metadata.name", value));
        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
        Assert.Contains("1000", ex.Message, StringComparison.Ordinal);
    }
}
