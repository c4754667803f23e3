using System.Text.Json.Nodes;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>
/// What the agent writes into a member besides statuses: the ServiceImports MultiClusterServices import (owned by
/// them, labelled, deleted when no longer imported) and the Events Fleet records, against the fake API server.
/// </summary>
public sealed class AgentMirrorTests(AgentHubFixture fixture) : IClassFixture<AgentHubFixture>
{
    private const string ImportLabel = "networking.fleet.azure.com/service-import";
    private const string McsLabel = "networking.fleet.azure.com/multi-cluster-service-name";

    private Task<MemberHarness> Member(string name) => MemberHarness.StartAsync(name, fixture.Members, fixture.WorkDir);

    private static string Owner(MemberHarness m, string ns, string mcs, bool controller) => controller
        ? $$"""{ "apiVersion": "networking.fleet.azure.com/v1alpha1", "kind": "MultiClusterService", "name": "{{mcs}}", "uid": "{{m.Uid("multiclusterservices", ns, mcs)}}", "controller": true, "blockOwnerDeletion": true }"""
        : $$"""{ "apiVersion": "networking.fleet.azure.com/v1alpha1", "kind": "MultiClusterService", "name": "{{mcs}}", "uid": "{{m.Uid("multiclusterservices", ns, mcs)}}" }""";

    private static JsonNode? Metadata(MemberHarness m, string ns, string name, params string[] keys)
    {
        var meta = m.Api.Get("serviceimports", ns, name)?["metadata"]?.AsObject();
        return meta is null ? null : new JsonObject(keys.Where(meta.ContainsKey).Select(k => KeyValuePair.Create(k, meta[k]?.DeepClone())));
    }

    [Fact]
    public async Task The_mirrored_ServiceImport_is_owned_by_its_MCS_carries_Fleet_s_labels_and_every_status_has_the_CRD_shape()
    {
        const string ns = "mirror-shape";
        await using var m = await Member("mirror-shape");
        m.ApplyServed(ns, "10.11.0.1");
        await Eventually.True(() => m.Api.Get("serviceimports", ns, "kuard")?["status"]?["clusters"]?.AsArray().Count == 1 && m.McsIp(ns) is not null,
            "ServiceImport mirrored and MCS served");

        var import = m.Api.Get("serviceimports", ns, "kuard")!;
        JsonAssert.Same($$"""
            {
              "labels": { "{{ImportLabel}}": "kuard", "{{McsLabel}}": "kuard" },
              "ownerReferences": [ {{Owner(m, ns, "kuard", controller: true)}} ]
            }
            """, Metadata(m, ns, "kuard", "labels", "ownerReferences"));
        JsonAssert.Same("""
            { "type": "ClusterSetIP", "ports": [ { "protocol": "TCP", "port": 8080 } ], "sessionAffinity": "None", "clusters": [ { "cluster": "mirror-shape" } ] }
            """, import["status"]);
        var mcs = m.Api.Get("multiclusterservices", ns, "kuard")!;
        JsonAssert.Same($$"""
            {
              "loadBalancer": { "ingress": [ { "ip": "{{m.McsIp(ns)}}", "ipMode": "VIP" } ] },
              "conditions": [ { "type": "Valid", "status": "True", "reason": "FoundServiceImport", "message": "<any>", "observedGeneration": 1, "lastTransitionTime": "<any>" } ]
            }
            """, mcs["status"]);
        // What the agent wrote is what our CRDs (and so an API server) accept, without pruning.
        Assert.Equal([], CrdSchema.Check(import));
        Assert.Equal([], CrdSchema.Check(mcs));
        Assert.Equal([], CrdSchema.Check(m.Api.Get("serviceexports", ns, "kuard")!));
    }

    [Fact]
    public async Task An_MCS_without_a_frontend_shows_an_empty_loadBalancer()
    {
        const string ns = "mirror-nolb";
        await using var m = await Member("mirror-nolb");
        // A spec the hub cannot import: Valid=False and no frontend. Our CRD would refuse it; the fake does not check.
        m.Apply(MemberHarness.Mcs(ns, import: "1kuard"));
        await Eventually.True(() => m.Condition("multiclusterservices", ns, "kuard", "Valid", "status") == "False", "MCS marked not valid");
        var status = m.Api.Get("multiclusterservices", ns, "kuard")!["status"]!;
        JsonAssert.Same("{}", status["loadBalancer"]);
        Assert.Equal(["conditions", "loadBalancer"], status.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_MCS_without_spec_is_Valid_False_with_a_message_on_the_member()
    {
        const string ns = "mirror-nospec";
        await using var m = await Member("mirror-nospec");
        // Our CRD requires spec; an API server without it (the fake checks nothing) passes it to the agent.
        m.Apply($$"""
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: MultiClusterService
            metadata: { name: kuard, namespace: {{ns}} }
            """);
        await Eventually.True(() => m.Condition("multiclusterservices", ns, "kuard", "Valid", "status") == "False", "MCS without spec marked not valid");
        Assert.Equal("InvalidSpec", m.Condition("multiclusterservices", ns, "kuard", "Valid", "reason"));
        Assert.Equal("spec.serviceImport.name: is required; the multi-cluster service imports nothing until it is fixed",
            m.Condition("multiclusterservices", ns, "kuard", "Valid", "message"));
        Assert.Null(m.Api.Get("multiclusterservices", ns, "kuard")!["spec"]); // the agent writes status only
        JsonAssert.Same("{}", m.Api.Get("multiclusterservices", ns, "kuard")!["status"]!["loadBalancer"]);
        Assert.Empty(m.Api.List("serviceimports", ns)); // it imports nothing
    }

    [Fact]
    public async Task Two_MCSes_share_one_ServiceImport_which_is_deleted_only_when_neither_imports_it()
    {
        const string ns = "mirror-shared";
        await using var m = await Member("mirror-shared");
        m.Apply(MemberHarness.Workload(ns));
        m.Apply(MemberHarness.Mcs(ns, name: "first"));
        await Eventually.True(() => m.Api.Get("serviceimports", ns, "kuard") is not null, "ServiceImport for the first MCS");
        m.Apply(MemberHarness.Mcs(ns, name: "second"));
        var bothOwners = $$"""{ "labels": { "{{ImportLabel}}": "kuard", "{{McsLabel}}": "first" }, "ownerReferences": [ {{Owner(m, ns, "first", true)}}, {{Owner(m, ns, "second", false)}} ] }""";
        await Eventually.True(() => JsonNode.DeepEquals(JsonNode.Parse(bothOwners), Metadata(m, ns, "kuard", "labels", "ownerReferences")),
            "both MCSes own the ServiceImport, the first one as its controller");

        // The controller goes: the other MCS still imports it, and becomes its controller.
        Assert.True(m.Api.Delete("multiclusterservices", ns, "first"));
        var secondOwns = $$"""{ "labels": { "{{ImportLabel}}": "kuard", "{{McsLabel}}": "second" }, "ownerReferences": [ {{Owner(m, ns, "second", true)}} ] }""";
        await Eventually.True(() => JsonNode.DeepEquals(JsonNode.Parse(secondOwns), Metadata(m, ns, "kuard", "labels", "ownerReferences")),
            "the second MCS alone owns the ServiceImport");

        // The last importer switches to another service: the old ServiceImport goes, the new one comes.
        m.Apply(MemberHarness.Mcs(ns, name: "second", import: "other"));
        await Eventually.True(() => m.Api.Get("serviceimports", ns, "kuard") is null && m.Api.Get("serviceimports", ns, "other") is not null,
            "ServiceImport kuard deleted, other mirrored");
        JsonAssert.Same($$"""{ "labels": { "{{ImportLabel}}": "other", "{{McsLabel}}": "second" }, "ownerReferences": [ {{Owner(m, ns, "second", true)}} ] }""",
            Metadata(m, ns, "other", "labels", "ownerReferences"));

        Assert.True(m.Api.Delete("multiclusterservices", ns, "second"));
        await Eventually.True(() => m.Api.List("serviceimports", ns).Count == 0, "no ServiceImport left");

        // Fleet's UnimportedService on each MCS that stopped importing a service (deleted or switched).
        await Eventually.True(() => m.Events(ns, "UnimportedService").Count == 3, "three UnimportedService events");
        Assert.Equal([("first", "Unimported service mirror-shared/kuard"), ("second", "Unimported service mirror-shared/kuard"), ("second", "Unimported service mirror-shared/other")],
            m.Events(ns, "UnimportedService").Select(e => (e["involvedObject"]!["name"]!.GetValue<string>(), e["message"]!.GetValue<string>())).Order());
        Assert.All(m.Events(ns, "UnimportedService"), e => Assert.Equal("Normal", e["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_stale_ServiceImport_is_removed_after_an_agent_restart_and_one_not_labelled_as_ours_is_left_alone()
    {
        const string ns = "mirror-stale";
        await using var m = await Member("mirror-stale");
        m.Apply(MemberHarness.Workload(ns));
        m.Apply(MemberHarness.Mcs(ns));
        m.Apply($$"""
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: ServiceImport
            metadata: { name: by-hand, namespace: {{ns}} }
            """);
        await Eventually.True(() => m.Api.Get("serviceimports", ns, "kuard") is not null, "ServiceImport mirrored");

        // Deleted while the agent is down (and no garbage collector in the fake): the restarted agent lists the
        // ServiceImports it labelled and removes the one nothing imports.
        await m.StopAgentAsync();
        Assert.True(m.Api.Delete("multiclusterservices", ns, "kuard"));
        m.StartAgent();
        await Eventually.True(() => m.Api.Get("serviceimports", ns, "kuard") is null, "stale ServiceImport removed");
        await m.WaitForQuietStatusAsync();
        Assert.NotNull(m.Api.Get("serviceimports", ns, "by-hand"));
    }

    [Fact]
    public async Task A_valid_export_and_MCS_record_Fleet_s_events_once_and_a_restarted_agent_records_none()
    {
        const string ns = "events-valid";
        await using var m = await Member("events-valid");
        m.ApplyServed(ns, "10.12.0.1");
        await Eventually.True(() => m.Events(ns, "ValidServiceExport").Count == 1 && m.Events(ns, "NoServiceExportConflictFound").Count == 1
            && m.Events(ns, "FoundValidService").Count == 1, "events of the valid export and MCS");

        var valid = m.Events(ns, "ValidServiceExport").Single();
        JsonAssert.Same($$"""
            {
              "apiVersion": "v1", "kind": "Event",
              "metadata": { "name": "<any>", "namespace": "{{ns}}", "uid": "<any>", "creationTimestamp": "<any>", "generation": 1, "resourceVersion": "<any>" },
              "involvedObject": { "apiVersion": "networking.fleet.azure.com/v1beta1", "kind": "ServiceExport", "name": "kuard", "namespace": "{{ns}}",
                                  "uid": "{{m.Uid("serviceexports", ns, "kuard")}}", "resourceVersion": "<any>" },
              "reason": "ValidServiceExport", "message": "Service kuard is valid for export", "type": "Normal",
              "source": { "component": "fleetl4-agent" }, "reportingComponent": "fleetl4-agent", "reportingInstance": "fleetl4-agent-events-valid",
              "count": 1, "firstTimestamp": "<any>", "lastTimestamp": "<any>"
            }
            """, valid);
        Assert.StartsWith("kuard.", valid["metadata"]!["name"]!.GetValue<string>());
        var conflict = m.Events(ns, "NoServiceExportConflictFound").Single();
        Assert.Equal(("Normal", "Service kuard is exported without conflict"), (conflict["type"]!.GetValue<string>(), conflict["message"]!.GetValue<string>()));
        var found = m.Events(ns, "FoundValidService").Single();
        Assert.Equal(("Normal", "Found valid service kuard and importing"), (found["type"]!.GetValue<string>(), found["message"]!.GetValue<string>()));
        Assert.Equal(("MultiClusterService", "networking.fleet.azure.com/v1alpha1", m.Uid("multiclusterservices", ns, "kuard")),
            (found["involvedObject"]!["kind"]!.GetValue<string>(), found["involvedObject"]!["apiVersion"]!.GetValue<string>(), found["involvedObject"]!["uid"]!.GetValue<string>()));

        // A real transition records its event: the Service goes away.
        Assert.True(m.Api.Delete("services", ns, "kuard"));
        await Eventually.True(() => m.Events(ns, "ServiceNotFound").Count == 1, "ServiceNotFound event");
        var notFound = m.Events(ns, "ServiceNotFound").Single();
        Assert.Equal(("Warning", "Service kuard is not found or in the deleting state"), (notFound["type"]!.GetValue<string>(), notFound["message"]!.GetValue<string>()));
        // And back: the same event again is the earlier Event counted twice, as client-go's recorder aggregates.
        m.Apply(MemberHarness.Workload(ns));
        await Eventually.True(() => m.Events(ns, "ValidServiceExport") is [{ } again] && again["count"]!.GetValue<int>() == 2, "ValidServiceExport counted twice");
        Assert.Equal(valid["metadata"]!["name"]!.GetValue<string>(), m.Events(ns, "ValidServiceExport").Single()["metadata"]!["name"]!.GetValue<string>());

        // The statuses already show these conditions: a restarted agent records nothing new. (A round records the
        // events of what it wrote before it ends: once rounds write nothing, every event is there.)
        await Eventually.True(() => m.Events(ns, "NoServiceExportConflictFound") is [{ } e] && e["count"]!.GetValue<int>() == 2, "no conflict again");
        await m.WaitForQuietStatusAsync();
        var before = m.Api.List("events", ns).Select(e => e.ToJsonString()).Order().ToArray();
        await m.StopAgentAsync();
        m.StartAgent();
        await m.WaitForQuietStatusAsync();
        Assert.Equal(before, m.Api.List("events", ns).Select(e => e.ToJsonString()).Order());
    }

    [Theory]
    [InlineData("events-external", "type: ExternalName\n  externalName: kuard.example.com")]
    [InlineData("events-headless", "clusterIP: None\n  ports:\n    - port: 8080")]
    public async Task An_export_of_an_ineligible_Service_records_a_ServiceNotEligible_warning(string ns, string spec)
    {
        await using var m = await Member(ns);
        m.Apply($$"""
            apiVersion: v1
            kind: Service
            metadata: { name: kuard, namespace: {{ns}} }
            spec:
              {{spec}}
            ---
            apiVersion: networking.fleet.azure.com/v1beta1
            kind: ServiceExport
            metadata: { name: kuard, namespace: {{ns}} }
            """);

        await Eventually.True(() => m.Events(ns, "ServiceNotEligible").Count == 1, "ServiceNotEligible event on the export");
        var e = m.Events(ns, "ServiceNotEligible").Single();
        Assert.Equal(("Warning", "Service kuard is not eligible for exporting and please check service spec", "ServiceExport", m.Uid("serviceexports", ns, "kuard")),
            (e["type"]!.GetValue<string>(), e["message"]!.GetValue<string>(), e["involvedObject"]!["kind"]!.GetValue<string>(), e["involvedObject"]!["uid"]!.GetValue<string>()));
        Assert.Equal("ServiceIneligible", m.Condition("serviceexports", ns, "kuard", "Valid", "reason"));
        // Never valid: no event of a valid export, and none about conflicts (it takes no part in them).
        await m.WaitForQuietStatusAsync();
        Assert.Empty(m.Events(ns, "ValidServiceExport"));
        Assert.Empty(m.Events(ns, "NoServiceExportConflictFound"));
    }

    [Fact]
    public async Task A_conflicting_export_records_a_ServiceExportConflictFound_warning()
    {
        const string ns = "events-conflict";
        await using var old = await Member("events-old");
        old.Apply(MemberHarness.Workload(ns, created: "2026-01-01T00:00:00Z"));
        await Eventually.True(() => old.Condition("serviceexports", ns, "kuard", "Conflict", "reason") == "NoConflictFound", "old export decided");
        await using var newer = await Member("events-newer");
        newer.Apply(MemberHarness.Workload(ns, port: 9090));

        await Eventually.True(() => newer.Events(ns, "ServiceExportConflictFound").Count == 1, "conflict event on the newer export");
        var e = newer.Events(ns, "ServiceExportConflictFound").Single();
        Assert.Equal(("Warning", "Service kuard is in conflict with other exported services", "ServiceExport", newer.Uid("serviceexports", ns, "kuard")),
            (e["type"]!.GetValue<string>(), e["message"]!.GetValue<string>(), e["involvedObject"]!["kind"]!.GetValue<string>(), e["involvedObject"]!["uid"]!.GetValue<string>()));
        Assert.Single(newer.Events(ns, "ValidServiceExport"));
    }
}
