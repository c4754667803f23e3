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
        Assert.Equal(new MultiClusterServiceCheck(false, null, null), MultiClusterServiceValidation.Validate(Spec()));
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
    public void A_bad_import_name_is_a_spec_error_not_a_refusal(string importName)
    {
        // Our CRD refuses it; if another API server lets it through, the hub shows Valid=False instead of dropping the MCS.
        var check = MultiClusterServiceValidation.Validate(Spec(importName));
        Assert.Equal("spec.serviceImport.name", check.SpecError?.Field);
        var ex = Assert.Throws<FleetValidationException>(() => MultiClusterServiceValidation.RequireValid(Spec(importName)));
        Assert.Equal("spec.serviceImport.name", ex.Field);
    }

    [Fact]
    public void Import_name_of_63_is_accepted_and_64_rejected()
    {
        Assert.Null(MultiClusterServiceValidation.Validate(Spec("k" + new string('1', 62))).SpecError);
        Assert.Equal("spec.serviceImport.name", MultiClusterServiceValidation.Validate(Spec(new string('k', 64))).SpecError?.Field);
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
        Assert.Null(MultiClusterServiceValidation.Validate(Spec(name: "1kuard")).SpecError);
    }

    // Go's strconv.ParseBool, as Fleet reads the annotation.
    [Theory]
    [InlineData(Internal, "1", true)]
    [InlineData(Internal, "t", true)]
    [InlineData(Internal, "T", true)]
    [InlineData(Internal, "TRUE", true)]
    [InlineData(Internal, "true", true)]
    [InlineData(Internal, "True", true)]
    [InlineData(Internal, "0", false)]
    [InlineData(Internal, "f", false)]
    [InlineData(Internal, "F", false)]
    [InlineData(Internal, "FALSE", false)]
    [InlineData(Internal, "false", false)]
    [InlineData(Internal, "False", false)]
    [InlineData(Legacy, "true", true)]
    [InlineData(Legacy, "0", false)]
    public void Internal_annotation_is_read_as_Fleet_reads_it(string key, string value, bool expected)
    {
        Assert.Equal(new MultiClusterServiceCheck(expected, null, null), MultiClusterServiceValidation.Validate(Spec(annotations: new() { [key] = value })));
    }

    [Theory]
    [InlineData(Internal, "yes")]
    [InlineData(Internal, "")]
    [InlineData(Internal, " true ")]
    [InlineData(Internal, "tRUE")]
    [InlineData(Legacy, "yes")]
    public void Unparseable_internal_annotation_means_public_with_a_warning(string key, string value)
    {
        var check = MultiClusterServiceValidation.Validate(Spec(annotations: new() { [key] = value }));
        Assert.False(check.Internal);
        Assert.Null(check.SpecError);
        Assert.Equal($"annotation {key} \"{value}\" is not a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False), so the load balancer is public", check.Warning);
    }

    [Fact]
    public void Unrelated_annotations_are_ignored()
    {
        var annotations = new Dictionary<string, string> { ["example.com/whatever"] = "yes", ["networking.fleet.azure.com/weight"] = "abc" };
        Assert.Equal(new MultiClusterServiceCheck(false, null, null), MultiClusterServiceValidation.Validate(Spec(annotations: annotations)));
    }

    [Fact]
    public void Both_annotations_true_is_internal()
    {
        Assert.True(MultiClusterServiceValidation.Validate(Spec(annotations: new() { [Internal] = "true", [Legacy] = "true" })).Internal);
    }

    [Fact]
    public void A_bad_legacy_annotation_does_not_matter_when_the_Fleet_one_decides()
    {
        Assert.Equal(new MultiClusterServiceCheck(true, null, null),
            MultiClusterServiceValidation.Validate(Spec(annotations: new() { [Internal] = "true", [Legacy] = "maybe" })));
    }

    [Theory]
    [InlineData("false", "true", false)]
    [InlineData("true", "false", true)]
    public void The_Fleet_annotation_wins_over_the_legacy_one(string fleet, string legacy, bool expected)
    {
        Assert.Equal(expected, MultiClusterServiceValidation.Validate(Spec(annotations: new() { [Internal] = fleet, [Legacy] = legacy })).Internal);
    }
}
