using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Tests.Domain;

/// <summary>Each quota: the limit passes, one more is refused naming the quota's key and the limit.</summary>
public class QuotaRulesTests
{
    private static readonly FleetQuotas Quotas = new()
    {
        ObjectBytes = 100, ObjectsPerCluster = 3, BytesPerCluster = 300, ExportsPerCluster = 2, EndpointsPerExport = 4, PortsPerService = 2,
    };

    private static readonly NamespacedName Kuard = new("q", "kuard");

    private static ManifestObject Object(string name, int bytes)
    {
        var head = $$"""{"kind":"ConfigMap","metadata":{"name":"{{name}}"},"data":{"k":""" + "\"";
        const string tail = "\"}}";
        var json = head + new string('x', bytes - head.Length - tail.Length) + tail;
        Assert.Equal(bytes, json.Length);
        return new ManifestObject("v1", "ConfigMap", "q", name, json, 1);
    }

    private static void Refused(string quota, string message, Action check)
    {
        var ex = Assert.Throws<FleetValidationException>(check);
        Assert.Equal($"quota FleetL4:Quotas:{quota}", ex.Field);
        Assert.Equal($"quota FleetL4:Quotas:{quota}: {message}", ex.Message);
    }

    [Fact]
    public void Object_bytes_count_UTF8_bytes()
    {
        QuotaRules.RequireObjectBytes(Quotas, Object("a", 100));
        Refused("ObjectBytes", "101 bytes of JSON in one object; at most 100", () => QuotaRules.RequireObjectBytes(Quotas, Object("a", 101)));
        // 100 characters, but "é" is two bytes in UTF-8: what the hub stores and sends is bytes.
        var accented = Object("a", 100);
        accented = accented with { Json = accented.Json.Replace("x\"}}", "é\"}}") };
        Assert.Equal(100, accented.Json.Length);
        Refused("ObjectBytes", "101 bytes of JSON in one object; at most 100", () => QuotaRules.RequireObjectBytes(Quotas, accented));
    }

    [Fact]
    public void Objects_per_cluster_refuse_a_batch_that_adds_beyond_the_limit()
    {
        ManifestObject[] Objects(int n) => Enumerable.Range(0, n).Select(i => Object($"o{i}", 70)).ToArray();
        QuotaRules.RequireClusterObjects(Quotas, "c", Objects(2), Objects(3));
        Refused("ObjectsPerCluster", "4 objects in cluster c; at most 3", () => QuotaRules.RequireClusterObjects(Quotas, "c", Objects(3), Objects(4)));
    }

    [Fact]
    public void A_cluster_over_a_lowered_quota_can_still_change_and_shrink_what_it_has()
    {
        var five = Enumerable.Range(0, 5).Select(i => Object($"o{i}", 70)).ToArray();
        QuotaRules.RequireClusterObjects(Quotas, "c", five, five);
        QuotaRules.RequireClusterObjects(Quotas, "c", five, five[..4]);
        QuotaRules.RequireClusterExports(Quotas, "c", 5, 5);
    }

    [Fact]
    public void Bytes_per_cluster_sum_every_stored_object()
    {
        var before = new[] { Object("a", 100), Object("b", 100) };
        QuotaRules.RequireClusterObjects(Quotas, "c", before, [.. before, Object("c", 100)]);
        Refused("BytesPerCluster", "301 bytes of objects in cluster c; at most 300",
            () => QuotaRules.RequireClusterObjects(Quotas, "c", before, [.. before, Object("c", 101)]));
        // Growing one object counts too, not only adding one.
        Refused("BytesPerCluster", "301 bytes of objects in cluster c; at most 300",
            () => QuotaRules.RequireClusterObjects(Quotas, "c", [.. before, Object("c", 100)], [.. before, Object("c", 101)]));
    }

    [Fact]
    public void Exports_per_cluster_in_a_virtual_batch()
    {
        QuotaRules.RequireClusterExports(Quotas, "c", 1, 2);
        Refused("ExportsPerCluster", "3 ServiceExports in cluster c; at most 2", () => QuotaRules.RequireClusterExports(Quotas, "c", 2, 3));
    }

    [Fact]
    public void Exports_per_cluster_in_a_sync_admit_the_first_new_ones_that_fit()
    {
        NamespacedName[] added = [new("q", "a"), new("q", "b"), new("q", "c")];
        Assert.Empty(QuotaRules.ExportsOverQuota(Quotas, "c", 0, added[..2]));
        var refused = QuotaRules.ExportsOverQuota(Quotas, "c", 1, added);
        Assert.Equal([new("q", "b"), new("q", "c")], refused.Select(r => r.Export));
        Assert.Equal("quota FleetL4:Quotas:ExportsPerCluster: 3 ServiceExports in cluster c with q/b; at most 2", refused[0].Refusal.Message);
    }

    [Fact]
    public void Endpoints_per_export()
    {
        QuotaRules.RequireEndpoints(Quotas, Kuard, 4);
        Refused("EndpointsPerExport", "5 endpoints of one address family in export q/kuard (the Azure Load Balancer backend pool limit); at most 4",
            () => QuotaRules.RequireEndpoints(Quotas, Kuard, 5));
    }

    [Fact]
    public void Ports_per_Service()
    {
        QuotaRules.RequirePorts(Quotas, Kuard, 2);
        Refused("PortsPerService", "3 ports in Service q/kuard; at most 2", () => QuotaRules.RequirePorts(Quotas, Kuard, 3));
    }

    [Fact]
    public void Export_validation_applies_the_port_and_endpoint_quotas_it_is_given()
    {
        ServicePort[] Ports(int n) => Enumerable.Range(1, n).Select(p => new ServicePort(null, "TCP", p)).ToArray();
        EndpointInfo[] Endpoints(string prefix, int n) => Enumerable.Range(1, n).Select(i => new EndpointInfo($"{prefix}{i}")).ToArray();
        ServiceExportReport Report(int ports, params EndpointInfo[] endpoints) =>
            new("q", "kuard", default, new ExportedService("ClusterIP", "10.0.0.1", Ports(ports)), endpoints);

        // Two ports, four IPv4 and four IPv6 endpoints (one pool per family), and a repeated address counted once.
        var normalized = ExportValidation.Normalize(Report(2, [.. Endpoints("10.1.0.", 4), .. Endpoints("fd00::", 4), new EndpointInfo("10.1.0.1")]), Quotas);
        Assert.Equal(8, normalized.Endpoints.Count);
        Refused("PortsPerService", "3 ports in Service q/kuard; at most 2", () => ExportValidation.Normalize(Report(3), Quotas));
        Refused("EndpointsPerExport", "5 endpoints of one address family in export q/kuard (the Azure Load Balancer backend pool limit); at most 4",
            () => ExportValidation.Normalize(Report(1, Endpoints("10.1.0.", 5)), Quotas));
    }

    [Fact]
    public void The_defaults_are_Kubernetes_and_Azure_limits()
    {
        var defaults = new FleetQuotas();
        Assert.Equal(1536 * 1024, defaults.ObjectBytes); // etcd's request limit, Kubernetes' object limit
        Assert.Equal(5000, defaults.EndpointsPerExport); // Azure LB backend pool
        Assert.Equal(100, defaults.PortsPerService);
        Assert.True(defaults.BytesPerCluster < FleetL4.HubApi.HubLimits.MaxMessageBytes); // a cluster's objects list in one message
    }
}
