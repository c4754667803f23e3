using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class MultiClusterServiceValidationTests
{
    private const string Internal = "networking.fleet.azure.com/azure-load-balancer-internal";
    private const string Legacy = "service.beta.kubernetes.io/azure-load-balancer-internal";

    private static MultiClusterServiceSpec Spec(string importName = "kuard", Dictionary<string, string>? annotations = null,
        string ns = "kuard-demo", string name = "kuard") => new(ns, name, importName, annotations);

    [Fact]
    public void Seed_manifest_is_valid_and_public()
    {
        Assert.False(MultiClusterServiceValidation.Validate(Spec()));
    }

    [Fact]
    public void Annotation_names_are_the_documented_ones()
    {
        Assert.Equal(Internal, FleetAnnotations.InternalLoadBalancer);
        Assert.Equal(Legacy, FleetAnnotations.LegacyInternalLoadBalancer);
    }

    [Theory]
    [InlineData("1kuard")]
    [InlineData("Kuard")]
    [InlineData("kuard-")]
    [InlineData("-kuard")]
    [InlineData("ku.ard")]
    [InlineData("")]
    public void Import_name_must_be_a_DNS_1035_label(string importName)
    {
        var ex = Assert.Throws<FleetValidationException>(() => MultiClusterServiceValidation.Validate(Spec(importName)));
        Assert.Equal("spec.serviceImport.name", ex.Field);
    }

    [Fact]
    public void Import_name_of_63_is_accepted_and_64_rejected()
    {
        Assert.False(MultiClusterServiceValidation.Validate(Spec("k" + new string('1', 62))));
        var ex = Assert.Throws<FleetValidationException>(() => MultiClusterServiceValidation.Validate(Spec(new string('k', 64))));
        Assert.Equal("spec.serviceImport.name", ex.Field);
    }

    [Theory]
    [InlineData("Kuard-Demo", "kuard", "metadata.namespace")]
    [InlineData("", "kuard", "metadata.namespace")]
    [InlineData("kuard-demo", "kuard_", "metadata.name")]
    [InlineData("kuard-demo", "", "metadata.name")]
    public void Bad_namespace_or_name_is_rejected(string ns, string name, string field)
    {
        var ex = Assert.Throws<FleetValidationException>(() => MultiClusterServiceValidation.Validate(Spec(ns: ns, name: name)));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void MCS_name_may_start_with_a_digit()
    {
        Assert.False(MultiClusterServiceValidation.Validate(Spec(name: "1kuard")));
    }

    [Theory]
    [InlineData(Internal, "true", true)]
    [InlineData(Internal, "false", false)]
    [InlineData(Internal, "True", true)]
    [InlineData(Internal, " true ", true)]
    [InlineData(Legacy, "true", true)]
    [InlineData(Legacy, "false", false)]
    public void Internal_annotation_is_read_as_a_boolean(string key, string value, bool expected)
    {
        Assert.Equal(expected, MultiClusterServiceValidation.Validate(Spec(annotations: new() { [key] = value })));
    }

    [Theory]
    [InlineData(Internal, "yes")]
    [InlineData(Internal, "")]
    [InlineData(Internal, "internal")]
    [InlineData(Legacy, "yes")]
    public void Non_boolean_internal_annotation_throws_naming_the_annotation(string key, string value)
    {
        var ex = Assert.Throws<FleetValidationException>(() => MultiClusterServiceValidation.Validate(Spec(annotations: new() { [key] = value })));
        Assert.Equal($"metadata.annotations[{key}]", ex.Field);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrelated_annotations_are_ignored()
    {
        var annotations = new Dictionary<string, string> { ["example.com/whatever"] = "yes", ["networking.fleet.azure.com/weight"] = "abc" };
        Assert.False(MultiClusterServiceValidation.Validate(Spec(annotations: annotations)));
    }

    [Fact]
    public void Both_annotations_true_is_internal()
    {
        Assert.True(MultiClusterServiceValidation.Validate(Spec(annotations: new() { [Internal] = "true", [Legacy] = "true" })));
    }

    [Fact]
    public void Bad_legacy_annotation_is_reported_even_when_the_new_one_is_set()
    {
        var ex = Assert.Throws<FleetValidationException>(() =>
            MultiClusterServiceValidation.Validate(Spec(annotations: new() { [Internal] = "true", [Legacy] = "maybe" })));
        Assert.Equal($"metadata.annotations[{Legacy}]", ex.Field);
    }

    [Theory]
    [InlineData("false", "true", false)]
    [InlineData("true", "false", true)]
    public void The_Fleet_annotation_wins_over_the_legacy_one(string fleet, string legacy, bool expected)
    {
        Assert.Equal(expected, MultiClusterServiceValidation.Validate(Spec(annotations: new() { [Internal] = fleet, [Legacy] = legacy })));
    }
}
