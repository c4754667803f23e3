using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class ExportValidationTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ExportedService Service(params ServicePort[] ports) => new("ClusterIP", "10.0.0.10", ports);

    private static ServiceExportReport Report(
        ExportedService? service = null, IReadOnlyList<EndpointInfo>? endpoints = null,
        string ns = "kuard-demo", string name = "kuard", string? weight = null) =>
        new(ns, name, Created, service ?? Service(new ServicePort(null, "TCP", 8080)), endpoints ?? [], WeightAnnotation: weight);

    private static FleetValidationException Rejected(ServiceExportReport report) =>
        Assert.Throws<FleetValidationException>(() => ExportValidation.Normalize(report));

    // ---- Normalize: ports ----

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void Port_outside_1_to_65535_is_rejected(int port)
    {
        var ex = Rejected(Report(Service(new ServicePort("web", "TCP", 80), new ServicePort("bad", "TCP", port))));
        Assert.Equal("service.spec.ports[1].port", ex.Field);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void Port_at_the_bounds_is_accepted(int port)
    {
        var normalized = ExportValidation.Normalize(Report(Service(new ServicePort(null, "TCP", port))));
        Assert.Equal(port, Assert.Single(normalized.Service!.Ports).Port);
    }

    [Theory]
    [InlineData("HTTP")]
    [InlineData("tcp")]
    [InlineData("ICMP")]
    public void Unknown_protocol_is_rejected(string protocol)
    {
        var ex = Rejected(Report(Service(new ServicePort(null, protocol, 80))));
        Assert.Equal("service.spec.ports[0].protocol", ex.Field);
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("UDP")]
    [InlineData("SCTP")]
    public void Known_protocols_are_accepted(string protocol)
    {
        var normalized = ExportValidation.Normalize(Report(Service(new ServicePort(null, protocol, 53))));
        Assert.Equal(protocol, Assert.Single(normalized.Service!.Ports).Protocol);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Protocol_defaults_to_TCP(string? protocol)
    {
        var normalized = ExportValidation.Normalize(Report(Service(new ServicePort(null, protocol!, 8080))));
        Assert.Equal("TCP", Assert.Single(normalized.Service!.Ports).Protocol);
    }

    [Fact]
    public void Duplicate_protocol_and_port_is_rejected()
    {
        var ex = Rejected(Report(Service(new ServicePort("a", "TCP", 8080), new ServicePort("b", "TCP", 8080))));
        Assert.Equal("service.spec.ports[1].port", ex.Field);
    }

    [Fact]
    public void Duplicate_is_detected_after_protocol_defaulting()
    {
        var ex = Rejected(Report(Service(new ServicePort("a", "TCP", 8080), new ServicePort("b", "", 8080))));
        Assert.Equal("service.spec.ports[1].port", ex.Field);
    }

    [Fact]
    public void Same_port_with_TCP_and_UDP_is_allowed()
    {
        var normalized = ExportValidation.Normalize(Report(Service(new ServicePort("dns-tcp", "TCP", 53), new ServicePort("dns-udp", "UDP", 53))));
        Assert.Equal(["TCP", "UDP"], normalized.Service!.Ports.Select(p => p.Protocol));
    }

    [Fact]
    public void Duplicate_port_names_are_rejected()
    {
        var ex = Rejected(Report(Service(new ServicePort("web", "TCP", 80), new ServicePort("web", "TCP", 443))));
        Assert.Equal("service.spec.ports[1].name", ex.Field);
    }

    [Fact]
    public void Several_unnamed_ports_are_allowed_and_empty_names_become_null()
    {
        var normalized = ExportValidation.Normalize(Report(Service(new ServicePort("", "TCP", 80), new ServicePort(null, "TCP", 443))));
        Assert.All(normalized.Service!.Ports, p => Assert.Null(p.Name));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void TargetPort_outside_range_is_rejected(int targetPort)
    {
        var ex = Rejected(Report(Service(new ServicePort(null, "TCP", 80, targetPort))));
        Assert.Equal("service.spec.ports[0].targetPort", ex.Field);
    }

    [Fact]
    public void Type_and_session_affinity_default()
    {
        var normalized = ExportValidation.Normalize(Report(new ExportedService("", "10.0.0.1", [new ServicePort(null, "TCP", 80)], "")));
        Assert.Equal("ClusterIP", normalized.Service!.Type);
        Assert.Equal("None", normalized.Service.SessionAffinity);
    }

    [Fact]
    public void Unknown_service_type_is_rejected()
    {
        var ex = Rejected(Report(new ExportedService("Headless", null, [])));
        Assert.Equal("service.spec.type", ex.Field);
    }

    [Fact]
    public void Unknown_session_affinity_is_rejected()
    {
        var ex = Rejected(Report(new ExportedService("ClusterIP", "10.0.0.1", [], "Sticky")));
        Assert.Equal("service.spec.sessionAffinity", ex.Field);
    }

    [Fact]
    public void Missing_service_is_not_malformed()
    {
        var normalized = ExportValidation.Normalize(Report() with { Service = null });
        Assert.Null(normalized.Service);
    }

    // ---- Normalize: endpoints ----

    [Theory]
    [InlineData("")]
    [InlineData("pod-1")]
    [InlineData("kuard.kuard-demo.svc")]
    [InlineData("10.0.0")]          // parses as 10.0.0.0 but is not how an address is written
    [InlineData("1")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1 ")]
    [InlineData(" 10.0.0.1")]
    [InlineData("10.0.0.1/32")]
    [InlineData("10.0.0.1:8080")]
    [InlineData("[fd00::1]:8080")]  // an address with a port is not an address
    [InlineData("[fd00::1]")]
    public void Endpoint_address_that_is_not_an_IP_is_rejected(string address)
    {
        var ex = Rejected(Report(endpoints: [new EndpointInfo("10.1.0.1"), new EndpointInfo(address)]));
        Assert.Equal("endpoints[1].address", ex.Field);
    }

    [Theory]
    [InlineData("10.1.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("fd00::1")]
    [InlineData("2001:db8::abcd")]
    [InlineData("::ffff:10.1.0.1")]
    public void Endpoint_IP_addresses_are_accepted(string address)
    {
        var normalized = ExportValidation.Normalize(Report(endpoints: [new EndpointInfo(address)]));
        Assert.Equal(address, Assert.Single(normalized.Endpoints).Address);
    }

    [Fact]
    public void At_most_5000_endpoints()
    {
        var endpoints = Enumerable.Range(0, 5001).Select(i => new EndpointInfo($"10.{i / 65536}.{i / 256 % 256}.{i % 256}")).ToArray();
        var ex = Rejected(Report(endpoints: endpoints));
        Assert.Equal("quota FleetL4:Quotas:EndpointsPerExport", ex.Field);

        var normalized = ExportValidation.Normalize(Report(endpoints: endpoints[..5000]));
        Assert.Equal(5000, normalized.Endpoints.Count);
        Assert.Equal(new FleetQuotas().EndpointsPerExport, normalized.Endpoints.Count);
    }

    [Fact]
    public void Null_endpoints_become_empty()
    {
        var normalized = ExportValidation.Normalize(Report() with { Endpoints = null! });
        Assert.NotNull(normalized.Endpoints);
        Assert.Empty(normalized.Endpoints);
    }

    // ---- Normalize: names ----

    [Theory]
    [InlineData("Kuard-Demo", "kuard", "metadata.namespace")]
    [InlineData("", "kuard", "metadata.namespace")]
    [InlineData("kuard-demo-", "kuard", "metadata.namespace")]
    [InlineData("kuard-demo", "Kuard", "metadata.name")]
    [InlineData("kuard-demo", "", "metadata.name")]
    [InlineData("kuard-demo", "-kuard", "metadata.name")]
    [InlineData("kuard-demo", "ku_ard", "metadata.name")]
    public void Bad_namespace_or_name_is_rejected(string ns, string name, string field)
    {
        var ex = Rejected(Report(ns: ns, name: name));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Name_of_64_characters_is_rejected_and_63_accepted()
    {
        Assert.Equal("metadata.name", Rejected(Report(name: new string('k', 64))).Field);
        Assert.Equal(new string('k', 63), ExportValidation.Normalize(Report(name: new string('k', 63))).Name);
    }

    [Fact]
    public void Service_export_name_may_start_with_a_digit()
    {
        Assert.Equal("1kuard", ExportValidation.Normalize(Report(name: "1kuard")).Name);
    }

    [Fact]
    public void Normalize_keeps_the_rest_of_the_report()
    {
        var report = Report(Service(new ServicePort("web", "TCP", 80, 8080, "http")), [new EndpointInfo("10.1.0.1", Ready: false)], weight: "5")
            with { Generation = 7, Revision = 3 };
        var normalized = ExportValidation.Normalize(report);
        Assert.Equal(7, normalized.Generation);
        Assert.Equal(3, normalized.Revision);
        Assert.Equal("5", normalized.WeightAnnotation);
        Assert.Equal(Created, normalized.CreationTimestamp);
        Assert.Equal(new ServicePort("web", "TCP", 80, 8080, "http"), Assert.Single(normalized.Service!.Ports));
        Assert.False(Assert.Single(normalized.Endpoints).Ready);
    }

    // ---- Validity ----

    [Fact]
    public void No_service_is_ServiceNotFound()
    {
        var v = ExportValidation.Validity(Report() with { Service = null });
        Assert.False(v.Valid);
        Assert.Equal(ConditionReasons.ServiceNotFound, v.Reason);
        Assert.Equal("ServiceNotFound", v.Reason);
        Assert.Contains("kuard-demo/kuard", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalName_service_is_ineligible()
    {
        var v = ExportValidation.Validity(Report(new ExportedService("ExternalName", null, [])));
        Assert.False(v.Valid);
        Assert.Equal("ServiceIneligible", v.Reason);
    }

    [Fact]
    public void Headless_service_is_ineligible()
    {
        var v = ExportValidation.Validity(Report(new ExportedService("ClusterIP", "None", [new ServicePort(null, "TCP", 80)])));
        Assert.False(v.Valid);
        Assert.Equal("ServiceIneligible", v.Reason);
    }

    [Fact]
    public void Missing_service_is_reported_before_a_bad_weight()
    {
        var v = ExportValidation.Validity(Report(weight: "abc") with { Service = null });
        Assert.Equal("ServiceNotFound", v.Reason);
    }

    [Fact]
    public void Ineligible_service_is_reported_before_a_bad_weight()
    {
        var v = ExportValidation.Validity(Report(new ExportedService("ClusterIP", "None", []), weight: "abc"));
        Assert.Equal("ServiceIneligible", v.Reason);
    }

    // Fleet parses with Go's strconv.Atoi, then checks 0..1000; its error texts are kept word for word.
    [Theory]
    [InlineData("abc", "not a valid integer")]
    [InlineData("-1", "not in the range [0, 1000]")]
    [InlineData("1001", "not in the range [0, 1000]")]
    [InlineData("1.5", "not a valid integer")]
    [InlineData("", "not a valid integer")]
    [InlineData(" 5", "not a valid integer")]
    [InlineData("1e3", "not a valid integer")]
    [InlineData("99999999999", "not in the range [0, 1000]")]
    [InlineData("99999999999999999999", "not a valid integer")]
    public void Bad_weight_annotation_is_invalid_with_Fleets_error(string weight, string error)
    {
        var v = ExportValidation.Validity(Report(weight: weight));
        Assert.False(v.Valid);
        Assert.Equal("ServiceExportInvalidWeightAnnotation", v.Reason);
        Assert.Equal($"serviceExport kuard-demo/kuard has an invalid weight annotation, err = the weight annotation is {error}: {weight}", v.Message);
        Assert.Null(v.Weight); // never valid before: it takes no part
    }

    [Fact]
    public void Bad_weight_on_a_live_export_keeps_its_last_good_weight()
    {
        var v = ExportValidation.Validity(Report(weight: "abc"), lastGoodWeight: 3);
        Assert.False(v.Valid);
        Assert.Equal(3, v.Weight);
        Assert.EndsWith("; its last valid weight keeps serving until the annotation is fixed", v.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("7", 7)]
    [InlineData("+5", 5)]
    [InlineData("007", 7)]
    [InlineData("1000", 1000)]
    [InlineData(null, 1)]
    public void Good_weight_annotation_is_valid(string? weight, int expected)
    {
        var v = ExportValidation.Validity(Report(weight: weight));
        Assert.True(v.Valid);
        Assert.Equal("ServiceIsValid", v.Reason);
        Assert.Equal(expected, v.Weight);
        Assert.Equal("service kuard-demo/kuard is valid for export", v.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    public void Weight_zero_is_valid_with_Fleets_message(string weight)
    {
        var v = ExportValidation.Validity(Report(weight: weight));
        Assert.Equal((true, "ServiceIsValid", "exported service kuard-demo/kuard with 0 weight", (int?)0), (v.Valid, v.Reason, v.Message, v.Weight));
    }

    [Theory]
    [InlineData("NodePort")]
    [InlineData("LoadBalancer")]
    public void NodePort_and_LoadBalancer_services_are_valid(string type)
    {
        var v = ExportValidation.Validity(Report(new ExportedService(type, "10.0.0.1", [new ServicePort(null, "TCP", 80)])));
        Assert.True(v.Valid);
    }
}
