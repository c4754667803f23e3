using FleetL4.Members;
using FleetL4.Members.Validation;
using FleetL4.Models;
using k8s.Models;

namespace FleetL4.Tests.Members;

/// <summary>Every field the translation reads is checked, for every kind stored; a refusal names the document and the field.</summary>
public sealed class ManifestValidationTests
{
    private static ManifestObject Read(string yaml) => Assert.Single(ManifestReader.Read(yaml, "test.yaml"));

    [Theory]
    [MemberData(nameof(ManifestCases.Bad), MemberType = typeof(ManifestCases))]
    public void A_bad_value_is_refused_naming_the_document_and_the_field(string yaml, string field)
    {
        var ex = Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(Read(yaml)));
        Assert.Equal(field, ex.Field);
        Assert.StartsWith($"{field}: ", ex.Message, StringComparison.Ordinal); // the reader adds the file's name before the document
        Assert.Contains("document 1 (", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message); // a hostile value cannot break the CLI's output
    }

    [Theory]
    [MemberData(nameof(ManifestCases.BadFromApi), MemberType = typeof(ManifestCases))]
    public void An_object_sent_to_the_hub_API_is_checked_as_a_manifest_is(ManifestObject o, string field)
    {
        var ex = Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(o));
        Assert.Equal(field, ex.Field);
    }

    [Theory]
    [MemberData(nameof(ManifestCases.Good), MemberType = typeof(ManifestCases))]
    public void Boundary_values_that_Kubernetes_takes_are_accepted(string yaml)
    {
        var o = Read(yaml);
        ManifestValidation.Validate(o);
        MemberObjects.From([o]); // and they parse as their KubernetesClient types
    }

    [Fact]
    public void A_kind_we_act_on_in_a_version_we_do_not_serve_is_refused_naming_the_served_versions()
    {
        var objects = ManifestReader.Read(ManifestCases.Service() + "\n---\n" + ManifestCases.Export("v1"), "test.yaml");
        ManifestValidation.Validate(objects[0]);
        var ex = Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(objects[1]));
        Assert.Equal("apiVersion: document 2 (ServiceExport kuard-demo/kuard): v1 is not served for ServiceExport; served: "
            + "networking.fleet.azure.com/v1alpha1, networking.fleet.azure.com/v1beta1", ex.Message);
    }

    [Fact]
    public void A_name_that_would_break_a_terminal_is_shown_quoted_and_escaped()
    {
        var ex = Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(Read(ManifestCases.Slice(name: "\"a\\nb\""))));
        Assert.Equal("metadata.name: document 1 (EndpointSlice kuard-demo/\"a\\nb\"): \"a\\nb\" is not a DNS-1123 subdomain (DNS-1123 labels joined by '.')", ex.Message);
    }

    [Fact]
    public void Annotations_are_limited_to_256_KiB_in_all_as_in_Kubernetes()
    {
        string Widget(int bytes) => ManifestCases.Object("example.com/v1", "Widget", $"{{ name: w, annotations: {{ a: {new string('x', bytes - 1)} }} }}");
        ManifestValidation.Validate(Read(Widget(256 * 1024)));
        var ex = Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(Read(Widget(256 * 1024 + 1))));
        Assert.Equal("metadata.annotations", ex.Field);
    }

    [Fact]
    public void An_EndpointSlice_holds_at_most_1000_endpoints()
    {
        string Slice(int n) => ManifestCases.Slice(endpoints: "[" + string.Join(",", Enumerable.Range(0, n).Select(i => $"{{addresses: [\"10.2.{i / 250}.{i % 250 + 1}\"]}}")) + "]");
        ManifestValidation.Validate(Read(Slice(1000)));
        Assert.Equal("endpoints", Assert.Throws<FleetValidationException>(() => ManifestValidation.Validate(Read(Slice(1001)))).Field);
    }

    [Fact]
    public void The_agent_checks_a_watched_object_with_the_same_rules_and_gets_the_refusal_back()
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "kuard", NamespaceProperty = "kuard-demo" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 8080, TargetPort = "ht--tp" }] },
        };
        Assert.Equal("spec.ports[0].targetPort", ManifestValidation.Refusal(service)?.Field);
        service.Spec.Ports[0].TargetPort = "http";
        Assert.Null(ManifestValidation.Refusal(service));
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "kuard-abc", NamespaceProperty = "kuard-demo" },
            AddressType = "IPv4",
            Endpoints = [new V1Endpoint { Addresses = [] }],
        };
        Assert.Equal("endpoints[0].addresses", ManifestValidation.Refusal(slice)?.Field);
    }
}
