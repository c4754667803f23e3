using FleetL4.Domain;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Models;
using k8s.Models;

namespace FleetL4.Tests.Members;

/// <summary>A dual-stack Service: every pod is in an IPv4 slice and in an IPv6 slice.</summary>
public sealed class DualStackTests
{
    private static V1EndpointSlice Slice(string name, string family, params (string Address, string Pod, bool Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "kuard-demo", Labels = new Dictionary<string, string> { [FleetAnnotations.ServiceNameLabel] = "kuard" } },
        AddressType = family,
        Endpoints = endpoints.Select(e => new V1Endpoint
        {
            Addresses = [e.Address],
            Conditions = new V1EndpointConditions { Ready = e.Ready },
            TargetRef = new V1ObjectReference { Kind = "Pod", Name = e.Pod },
        }).ToList(),
    };

    private static ServiceExportReport Report(params V1EndpointSlice[] slices)
    {
        var export = new ServiceExportResource { Metadata = new V1ObjectMeta { Name = "kuard", NamespaceProperty = "kuard-demo", CreationTimestamp = DateTime.UtcNow } };
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "kuard", NamespaceProperty = "kuard-demo" },
            Spec = new V1ServiceSpec { ClusterIP = "10.0.0.10", Ports = [new V1ServicePort { Port = 8080 }] } };
        return ExportValidation.Normalize(MemberTranslator.ExportReport(export, service, slices));
    }

    [Fact]
    public void A_pod_in_an_IPv4_and_an_IPv6_slice_counts_once_per_family_and_never_twice_in_one()
    {
        var report = Report(
            Slice("kuard-v4-a", "IPv4", ("10.1.0.1", "kuard-1", true), ("10.1.0.2", "kuard-2", true)),
            // An endpoint moving between slices shows up in two IPv4 slices for a moment; its ready copy wins.
            Slice("kuard-v4-b", "IPv4", ("10.1.0.2", "kuard-2", false)),
            Slice("kuard-v6", "IPv6", ("fd00::1", "kuard-1", true), ("fd00::2", "kuard-2", true)));
        Assert.Equal(["10.1.0.1", "10.1.0.2", "fd00::1", "fd00::2"], report.Endpoints.Select(e => e.Address));
        Assert.All(report.Endpoints, e => Assert.True(e.Ready));
        Assert.Equal(new FamilyCounts(2, 2), EndpointSelection.CountByFamily(report.Endpoints.Select(e => e.Address)));
        Assert.Equal("2 IPv4, 2 IPv6", new FamilyCounts(2, 2).ToString());
        Assert.Equal("2", new FamilyCounts(2, 0).ToString());
    }

    [Fact]
    public void The_endpoint_limit_holds_per_family()
    {
        var v4 = Enumerable.Range(0, new FleetQuotas().EndpointsPerExport).Select(i => ($"10.2.{i / 250}.{i % 250 + 1}", $"p{i}", true)).ToArray();
        var v6 = Enumerable.Range(0, new FleetQuotas().EndpointsPerExport).Select(i => ($"fd00::{i + 1:x}", $"p{i}", true)).ToArray();
        // 5,000 dual-stack pods are 5,000 endpoints per family: accepted.
        Assert.Equal(2 * new FleetQuotas().EndpointsPerExport, Report(Slice("v4", "IPv4", v4), Slice("v6", "IPv6", v6)).Endpoints.Count);
        var ex = Assert.Throws<FleetValidationException>(() => Report(Slice("v4", "IPv4", [.. v4, ("10.3.0.1", "extra", true)])));
        Assert.Equal("quota FleetL4:Quotas:EndpointsPerExport", ex.Field);
        Assert.Contains("5001 endpoints of one address family", ex.Message, StringComparison.Ordinal);
    }
}
