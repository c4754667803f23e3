using System.Text.Json.Nodes;
using FleetL4.Client.Output;
using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Tests.Kubernetes;

namespace FleetL4.Tests.Cli;

/// <summary>kubectl conventions of the CLI's output that need no hub.</summary>
public sealed class OutputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(25, "25s")]
    [InlineData(119, "119s")]
    [InlineData(5 * 60 + 3, "5m3s")]
    [InlineData(45 * 60, "45m")]
    [InlineData(5 * 3600 + 7 * 60, "5h7m")]
    [InlineData(20 * 3600, "20h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(30 * 86400, "30d")]
    public void Age_reads_like_kubectl(int seconds, string expected) =>
        Assert.Equal(expected, Age.Since(Now.AddSeconds(-seconds), Now));

    [Fact]
    public void Yaml_output_quotes_strings_that_would_read_back_as_other_types()
    {
        var yaml = YamlOutput.Write(new JsonObject { ["status"] = "True", ["count"] = 3, ["time"] = "2026-01-01T00:00:00Z", ["name"] = "kuard" });
        Assert.Contains("status: 'True'", yaml.Replace('"', '\''));
        Assert.Contains("count: 3", yaml);
        Assert.Contains("name: kuard", yaml);
    }

    [Fact]
    public void Tables_pad_columns_like_kubectl()
    {
        var table = new Table("NAME", "IS-VALID", "IS-CONFLICTED", "AGE");
        table.Add("kuard", "True", "False", "25s");
        Assert.Equal("NAME    IS-VALID   IS-CONFLICTED   AGE\nkuard   True       False           25s\n", table.ToString().Replace("\r", ""));
    }

    private static readonly DateTimeOffset Created = new(2026, 11, 29, 11, 0, 0, TimeSpan.Zero);

    private static Condition Cond(string type, string status, string reason) => new(type, status, reason, $"{reason} message", 2, Created);

    private static MultiClusterServiceView Mcs(string? ip) => new(
        Cluster: "aks-member-1", Namespace: "kuard-demo", Name: "kuard", Exists: true, ServiceImportName: "kuard", Internal: false,
        ExternalIp: ip, CreationTimestamp: Created,
        Conditions: [Cond(ConditionTypes.Valid, ConditionStatuses.True, ConditionReasons.FoundServiceImport)],
        Import: new ImportInfo("ClusterSetIP", [new ServicePort(null, "TCP", 8080)], "None", ["aks-member-1"]),
        Backends: [new Backend("aks-member-1", "10.1.0.1")], LoadBalancerInSync: false, LoadBalancerError: "provider down");

    private static ServiceImportView Import(string affinity) => new(
        "kuard-demo", "kuard",
        new ImportInfo("ClusterSetIP",
            [new ServicePort("http", "TCP", 80, TargetPort: 8080, AppProtocol: "http"), new ServicePort("dns", "UDP", 53, TargetPort: 53), new ServicePort(null, "TCP", 9090)],
            affinity, ["aks-member-1", "aks-member-2"]),
        [new ImportClusterView("aks-member-1", "Active", 2, null), new ImportClusterView("aks-member-2", "Conflict", 0, "ports differ")],
        [new ClusterNamespacedName("aks-member-1", new NamespacedName("kuard-demo", "kuard"))], 2, Created);

    private static ServiceExportView Export() => new(
        "aks-member-1", "kuard-demo", "kuard", true, Created,
        new ExportedService("ClusterIP", "10.0.0.10", [new ServicePort(null, "TCP", 8080)]),
        [new EndpointInfo("10.1.0.1"), new EndpointInfo("10.1.0.2", Ready: false, Terminating: true)], Weight: 3,
        [Cond(ConditionTypes.Valid, ConditionStatuses.True, ConditionReasons.ServiceIsValid), Cond(ConditionTypes.Conflict, ConditionStatuses.False, ConditionReasons.NoConflictFound)]);

    [Fact]
    public void Json_output_holds_only_fields_the_CRDs_define()
    {
        JsonObject[] objects =
        [
            ResourceJson.ServiceExport(Export()), ResourceJson.ServiceImport(Import("ClientIP")), ResourceJson.ServiceImport(Import("None")),
            ResourceJson.MultiClusterService(Mcs("127.0.100.1")), ResourceJson.MultiClusterService(Mcs(null)),
        ];
        foreach (var o in objects) Assert.Equal([], CrdSchema.Check(o));
    }

    [Fact]
    public void An_MCS_without_a_Valid_condition_prints_IS_VALID_blank_like_kubectl()
    {
        // Not decided yet (the hub has not bound it to its import): no Valid condition, an empty cell, not "Unknown".
        var undecided = Mcs(null) with { Name = "fresh", Conditions = [] };
        var now = Created.AddSeconds(25);
        var table = TableText.Parse(MultiClusterServiceTable.Of([Mcs("127.0.100.1"), undecided], clusterColumn: false, namespaceColumn: false, wide: false, now).ToString());
        Assert.Equal(["NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID", "AGE"], table.Headers);
        Assert.Equal(["kuard", "kuard", "127.0.100.1", "True", "25s"], table.Rows[0].Values);
        Assert.Equal(["fresh", "kuard", "<pending>", "", "25s"], table.Rows[1].Values);

        var wide = TableText.Parse(MultiClusterServiceTable.Of([undecided], clusterColumn: true, namespaceColumn: true, wide: true, now).ToString());
        Assert.Equal(["CLUSTER", "NAMESPACE", "NAME", "SERVICE-IMPORT", "EXTERNAL-IP", "IS-VALID", "BACKENDS", "LB-IN-SYNC", "AGE"], wide.Headers);
        Assert.Equal(["aks-member-1", "kuard-demo", "fresh", "kuard", "<pending>", "", "1", "False", "25s"], wide.Rows.Single().Values);
    }

    [Fact]
    public void A_MultiClusterService_has_an_empty_loadBalancer_without_a_frontend_and_a_VIP_ingress_with_one()
    {
        const string conditions = """[ { "type": "Valid", "status": "True", "reason": "FoundServiceImport", "message": "FoundServiceImport message", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:00:00Z" } ]""";
        JsonAssert.Same($$"""{ "loadBalancer": {}, "conditions": {{conditions}} }""", ResourceJson.MultiClusterServiceStatus(Mcs(null)));
        JsonAssert.Same($$"""
            {
              "apiVersion": "networking.fleet.azure.com/v1alpha1", "kind": "MultiClusterService",
              "metadata": { "name": "kuard", "namespace": "kuard-demo", "creationTimestamp": "2026-11-29T11:00:00Z",
                            "annotations": { "networking.fleet.azure.com/member-cluster": "aks-member-1" } },
              "spec": { "serviceImport": { "name": "kuard" } },
              "status": { "loadBalancer": { "ingress": [ { "ip": "127.0.100.1", "ipMode": "VIP" } ] }, "conditions": {{conditions}} }
            }
            """, ResourceJson.MultiClusterService(Mcs("127.0.100.1")));
    }

    [Fact]
    public void A_ServiceImport_has_ports_in_order_targetPort_where_it_differs_and_affinity_config_only_for_ClientIP()
    {
        const string ports = """
            [ { "name": "http", "protocol": "TCP", "appProtocol": "http", "port": 80, "targetPort": 8080 },
              { "name": "dns", "protocol": "UDP", "port": 53 },
              { "protocol": "TCP", "port": 9090 } ]
            """;
        const string clusters = """[ { "cluster": "aks-member-1" }, { "cluster": "aks-member-2" } ]""";
        JsonAssert.Same($$"""
            {
              "apiVersion": "networking.fleet.azure.com/v1alpha1", "kind": "ServiceImport",
              "metadata": { "name": "kuard", "namespace": "kuard-demo", "creationTimestamp": "2026-11-29T11:00:00Z" },
              "status": { "type": "ClusterSetIP", "ports": {{ports}}, "sessionAffinity": "ClientIP",
                          "sessionAffinityConfig": { "clientIP": { "timeoutSeconds": 10800 } }, "clusters": {{clusters}} }
            }
            """, ResourceJson.ServiceImport(Import("ClientIP")));
        JsonAssert.Same($$"""{ "type": "ClusterSetIP", "ports": {{ports}}, "sessionAffinity": "None", "clusters": {{clusters}} }""",
            ResourceJson.ServiceImportStatus(Import("None").Info));
    }

    [Fact]
    public void A_ServiceExport_is_its_metadata_and_conditions()
    {
        JsonAssert.Same("""
            {
              "apiVersion": "networking.fleet.azure.com/v1beta1", "kind": "ServiceExport",
              "metadata": { "name": "kuard", "namespace": "kuard-demo", "creationTimestamp": "2026-11-29T11:00:00Z",
                            "annotations": { "networking.fleet.azure.com/member-cluster": "aks-member-1" } },
              "status": { "conditions": [
                { "type": "Valid", "status": "True", "reason": "ServiceIsValid", "message": "ServiceIsValid message", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:00:00Z" },
                { "type": "Conflict", "status": "False", "reason": "NoConflictFound", "message": "NoConflictFound message", "observedGeneration": 2, "lastTransitionTime": "2026-11-29T11:00:00Z" } ] }
            }
            """, ResourceJson.ServiceExport(Export()));
    }

    [Fact]
    public void A_MemberCluster_has_Fleet_s_shape_with_the_heartbeat_under_agentStatus()
    {
        var member = new MemberClusterView("aks-member-1", true, new Dictionary<string, string> { ["fleet.azure.com/location"] = "eastus" },
            Created, Now, true, [new Condition(ConditionTypes.Joined, ConditionStatuses.True, ConditionReasons.JoinSucceeded, "joined", 0, Created)],
            [new NamespacedName("kuard-demo", "kuard")], [new NamespacedName("kuard-demo", "kuard")]);
        JsonAssert.Same("""
            {
              "apiVersion": "cluster.kubernetes-fleet.io/v1", "kind": "MemberCluster",
              "metadata": { "name": "aks-member-1", "creationTimestamp": "2026-11-29T11:00:00Z", "labels": { "fleet.azure.com/location": "eastus" } },
              "status": {
                "conditions": [ { "type": "Joined", "status": "True", "reason": "JoinSucceeded", "message": "joined", "observedGeneration": 0, "lastTransitionTime": "2026-11-29T11:00:00Z" } ],
                "agentStatus": [ { "type": "MemberAgent", "lastReceivedHeartbeat": "2026-11-29T12:00:00Z" } ]
              }
            }
            """, ResourceJson.MemberCluster(member));
        Assert.False(ResourceJson.MemberCluster(member with { LastHeartbeat = null })["status"]!.AsObject().ContainsKey("agentStatus"));
    }
}
