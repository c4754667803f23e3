using System.Diagnostics;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Kubernetes;

/// <summary>A hub with the shipped lease (10 s heartbeats x 3): an agent's open status stream keeps it.</summary>
public sealed class AgentHubFixture : IAsyncLifetime
{
    private ApiHub _hub = null!;

    public FleetTestCluster Hub => _hub.Hub;

    /// <summary>The agents' client of the hub API (over a loopback socket): agents reach the hub only through it.</summary>
    public FleetL4.Client.FleetClient Members => _hub.Client;

    public string WorkDir { get; } = Directory.CreateTempSubdirectory("fleetl4-agent-").FullName;

    public async Task InitializeAsync() => _hub = await ApiHub.StartAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }
}

/// <summary>The member agent against fake member API servers (one per cluster) and a real two-silo hub.</summary>
public sealed class AgentTests(AgentHubFixture fixture) : IClassFixture<AgentHubFixture>
{
    private readonly FleetTestCluster _hub = fixture.Hub;

    private Task<MemberHarness> Member(string name) => MemberHarness.StartAsync(name, fixture.Members, fixture.WorkDir);

    [Fact]
    public async Task An_export_the_hub_asks_for_again_is_sent_again_with_what_the_member_has()
    {
        const string ns = "agent-resend";
        await using var m = await Member("agent-resend");
        m.Apply(MemberHarness.Workload(ns));
        m.Apply(MemberHarness.Slice(ns, "kuard-a", "10.5.0.1", "10.5.0.2"));
        var export = _hub.Grains.GetGrain<IServiceExportGrain>(GrainKeys.Export("agent-resend", ns, "kuard"));
        var view = await Eventually.Get(() => export.Get(), v => v.Endpoints.Count == 2, "the export reported");
        // What a silo loss leaves behind: the hub holds older endpoints than the member (written behind, then lost).
        await export.Report(new FleetL4.Models.ServiceExportReport(ns, "kuard", view.CreationTimestamp, view.Service, Seed.Ready("10.5.0.1"), 1, 0, null));
        Assert.Single((await export.Get()).Endpoints);

        // The export that came back from storage asks for itself (UnsavedEndpointsTests); the agent hears it on its stream.
        await Eventually.True(() => m.Agent!.Heartbeating, "the agent's status stream open");
        await _hub.Grains.GetGrain<IMemberClusterGrain>("agent-resend").OnStatusChanged(
            new FleetL4.Models.StatusChange(FleetL4.Models.StatusKind.ResendServiceExport, new NamespacedName(ns, "kuard")));
        var again = await Eventually.Get(() => export.Get(), v => v.Endpoints.Count == 2, "the member sent the export again");
        Assert.Equal(["10.5.0.1", "10.5.0.2"], again.Endpoints.Select(e => e.Address).Order());
    }

    [Fact]
    public async Task An_object_the_rules_refuse_is_skipped_by_the_agent_and_the_rest_syncs()
    {
        const string ns = "agent-refused";
        await using var m = await Member("agent-refused");
        m.Apply(MemberHarness.Workload(ns));
        // A slice the API server would refuse (a port out of range), then a good one: one watch, in that order,
        // so when the good slice's endpoint arrives the bad slice has been seen (and skipped).
        m.Apply(MemberHarness.Slice(ns, "kuard-bad", "10.6.0.9").Replace("port: 8080", "port: 65536"));
        m.Apply(MemberHarness.Slice(ns, "kuard-a", "10.6.0.1"));
        var export = _hub.Grains.GetGrain<IServiceExportGrain>(GrainKeys.Export("agent-refused", ns, "kuard"));
        var view = await Eventually.Get(() => export.Get(), v => v.Endpoints.Any(e => e.Address == "10.6.0.1"), "the good slice's endpoint reported");
        Assert.Equal("10.6.0.1", Assert.Single(view.Endpoints).Address);
    }

    [Fact]
    public async Task Seed_walkthrough_across_three_members_writes_statuses_back_with_Fleet_reasons()
    {
        const string ns = "kuard-demo";
        await using var m1 = await Member("agent-member-1");
        await using var m2 = await Member("agent-member-2");
        await using var m3 = await Member("agent-member-3");
        m1.Apply(MemberHarness.Workload(ns));
        m1.Apply(MemberHarness.Slice(ns, "kuard-a", "10.1.0.1", "10.1.0.2"));
        m2.Apply(MemberHarness.Workload(ns));
        m2.Apply(MemberHarness.Slice(ns, "kuard-b", "10.2.0.1", "10.2.0.2"));
        m1.Apply(MemberHarness.Mcs(ns));

        var lb = GrainKeys.MultiClusterService("agent-member-1", ns, "kuard");
        await _hub.WaitForBackendsAsync(lb, "10.1.0.1", "10.1.0.2", "10.2.0.1", "10.2.0.2");
        foreach (var m in new[] { m1, m2 })
        {
            await Eventually.True(() => m.Condition("serviceexports", ns, "kuard", "Valid", "reason") == "ServiceIsValid"
                && m.Condition("serviceexports", ns, "kuard", "Conflict", "reason") == "NoConflictFound", $"{m.Cluster} export status");
            Assert.Equal("True", m.Condition("serviceexports", ns, "kuard", "Valid", "status"));
            Assert.Equal("False", m.Condition("serviceexports", ns, "kuard", "Conflict", "status"));
            Assert.Equal("1", m.Condition("serviceexports", ns, "kuard", "Valid", "observedGeneration"));
        }
        await Eventually.True(() => m1.Condition("multiclusterservices", ns, "kuard", "Valid", "reason") == "FoundServiceImport"
            && m1.McsIp(ns) is not null, "MCS status");
        var ip = m1.McsIp(ns);
        Assert.Equal(_hub.Provider.Inner.Find(lb)!.FrontendIp, ip);
        await Eventually.True(() => m1.Api.Get("serviceimports", ns, "kuard")?["status"]?["clusters"]?.AsArray().Count == 2, "ServiceImport in member 1");
        var import = m1.Api.Get("serviceimports", ns, "kuard")!["status"]!;
        Assert.Equal("ClusterSetIP", import["type"]!.GetValue<string>());
        Assert.Equal(8080, import["ports"]![0]!["port"]!.GetValue<int>());
        Assert.Null(m3.Api.Get("serviceimports", ns, "kuard")); // no MCS there

        // Converged (the last verdicts and messages written): an idle member writes no status and calls the hub not
        // once; only its status stream stays open (the heartbeat; StatusStreamTests shows it keeps the lease).
        await m1.WaitForQuietStatusAsync();
        var (patches, calls, updates) = (m1.Api.Store.StatusPatches, m1.HubCalls, m1.Agent!.StatusUpdates);
        var window = Stopwatch.StartNew();
        await Eventually.True(() => window.Elapsed > MemberHarness.Quiet, "an idle window");
        Assert.Equal(patches, m1.Api.Store.StatusPatches);
        Assert.Equal(calls, m1.HubCalls);
        Assert.Equal(updates, m1.Agent.StatusUpdates);
        Assert.True((await _hub.Fleet.GetMemberClusterAsync("agent-member-1")).LeaseLive);
        Assert.True((await _hub.Fleet.GetMemberClusterAsync("agent-member-1")).Joined);
    }

    [Fact]
    public async Task Scaling_endpoint_slices_moves_backends_and_a_deleted_Service_is_ServiceNotFound()
    {
        const string ns = "scale";
        await using var m = await Member("agent-scale");
        m.ApplyServed(ns, "10.3.0.1");
        var lb = GrainKeys.MultiClusterService("agent-scale", ns, "kuard");
        await _hub.WaitForBackendsAsync(lb, "10.3.0.1");

        m.Apply(MemberHarness.Slice(ns, "kuard-1", "10.3.0.1", "10.3.0.2", "10.3.0.3"));
        m.Apply(MemberHarness.Slice(ns, "kuard-2", "10.3.1.1"));
        await _hub.WaitForBackendsAsync(lb, "10.3.0.1", "10.3.0.2", "10.3.0.3", "10.3.1.1");
        m.Apply(MemberHarness.Slice(ns, "kuard-1", "10.3.0.2"));
        Assert.True(m.Api.Delete("endpointslices", ns, "kuard-2"));
        await _hub.WaitForBackendsAsync(lb, "10.3.0.2");

        Assert.True(m.Api.Delete("services", ns, "kuard"));
        await Eventually.True(() => m.Condition("serviceexports", ns, "kuard", "Valid", "reason") == "ServiceNotFound", "ServiceNotFound");
        Assert.Equal("False", m.Condition("serviceexports", ns, "kuard", "Valid", "status"));
        await _hub.WaitForBackendsAsync(lb);
    }

    [Fact]
    public async Task A_newer_export_with_conflicting_ports_gets_ConflictFound_naming_the_oldest_which_stays_in_use()
    {
        const string ns = "agent-conflict";
        await using var old = await Member("agent-old");
        // Creation times have one-second resolution: make the first export clearly the oldest.
        old.Apply(MemberHarness.Workload(ns, created: "2026-01-01T00:00:00Z"));
        old.Apply(MemberHarness.Slice(ns, "kuard-a", "10.4.0.1"));
        await Eventually.True(() => old.Condition("serviceexports", ns, "kuard", "Conflict", "reason") == "NoConflictFound", "old export decided");
        await using var newer = await Member("agent-newer");
        newer.Apply(MemberHarness.Workload(ns, port: 9090));
        newer.Apply(MemberHarness.Slice(ns, "kuard-b", "10.4.1.1"));

        await Eventually.True(() => newer.Condition("serviceexports", ns, "kuard", "Conflict", "reason") == "ConflictFound", "newer export conflicts");
        Assert.Contains("\"agent-old\"", newer.Condition("serviceexports", ns, "kuard", "Conflict", "message"));
        // KEP-1645: every export in the conflict shows it, the oldest (still in use) too, naming the newer one.
        await Eventually.True(() => old.Condition("serviceexports", ns, "kuard", "Conflict", "reason") == "ConflictFound", "oldest export shows the conflict");
        Assert.Contains("\"agent-newer\"", old.Condition("serviceexports", ns, "kuard", "Conflict", "message"));
        Assert.Equal(1, (await _hub.Fleet.GetServiceImportAsync(ns, "kuard")).BackendCount);
    }

    [Fact]
    public async Task Dropped_watches_and_410_Gone_lose_and_duplicate_nothing()
    {
        const string ns = "watch-drop";
        await using var m = await Member("agent-watch");
        m.ApplyServed(ns, "10.5.0.1");
        var lb = GrainKeys.MultiClusterService("agent-watch", ns, "kuard");
        await _hub.WaitForBackendsAsync(lb, "10.5.0.1");
        var relists = m.Agent!.Relists;

        // Streams end mid-way: the agent re-watches from its resourceVersion (no relist needed).
        m.Api.Store.DropWatches();
        m.Apply(MemberHarness.Slice(ns, "kuard-1", "10.5.0.1", "10.5.0.2"));
        await _hub.WaitForBackendsAsync(lb, "10.5.0.1", "10.5.0.2");
        Assert.Equal(relists, m.Agent.Relists);

        // History is compacted and streams dropped: the re-watch gets 410 Gone, the agent relists; a deletion that
        // happened while it was not watching is still seen.
        m.Api.Store.Compact();
        m.Api.Store.DropWatches();
        m.Apply(MemberHarness.Slice(ns, "kuard-2", "10.5.1.1"));
        Assert.True(m.Api.Delete("endpointslices", ns, "kuard-1"));
        await _hub.WaitForBackendsAsync(lb, "10.5.1.1");
        Assert.True(m.Agent.Relists > relists, "relisted after 410 Gone");
        var export = await _hub.Fleet.GetServiceExportAsync("agent-watch", ns, "kuard");
        Assert.Equal(["10.5.1.1"], export.Endpoints.Select(e => e.Address));
    }

    [Fact]
    public async Task Restarting_the_agent_does_not_flap_the_load_balancer()
    {
        const string ns = "restart";
        await using var m = await Member("agent-restart");
        m.ApplyServed(ns, "10.7.0.1", "10.7.0.2");
        var lb = GrainKeys.MultiClusterService("agent-restart", ns, "kuard");
        await _hub.WaitForBackendsAsync(lb, "10.7.0.1", "10.7.0.2");

        // Every backend set the provider is handed. The first change after a quiet period goes out at once (leading
        // edge), so a withdrawal during the restart would reach the provider even if the restore followed at once.
        var seen = new List<int>();
        void Record(LoadBalancing.LoadBalancerSpec spec) { if (spec.Id == lb) lock (seen) seen.Add(spec.Backends.Count); }
        _hub.Provider.Inner.Ensured += Record;
        try
        {
            await m.StopAgentAsync();
            // The restarted agent lists EndpointSlices last: it must not report its exports before it has them.
            m.Api.ListDelays["endpointslices"] = TimeSpan.FromMilliseconds(500);
            m.StartAgent();
            await Eventually.True(() => m.Agent!.Synced && m.Agent.Heartbeating, "restarted agent synced");
            m.Apply(MemberHarness.Slice(ns, "kuard-1", "10.7.0.1", "10.7.0.2", "10.7.0.3"));
            await _hub.WaitForBackendsAsync(lb, "10.7.0.1", "10.7.0.2", "10.7.0.3");
        }
        finally
        {
            _hub.Provider.Inner.Ensured -= Record;
        }
        lock (seen)
        {
            Assert.Equal(3, seen[^1]); // the recording saw the calls of this test
            Assert.All(seen, count => Assert.True(count >= 2, $"backend count went down to {count} during the restart: [{string.Join(",", seen)}]"));
        }
    }
}

/// <summary>Agent behaviours that need their own set-up: namespace lists, write conflicts, a hub restart.</summary>
public sealed class AgentEdgeTests(AgentHubFixture fixture) : IClassFixture<AgentHubFixture>
{
    [Fact]
    public async Task An_agent_limited_to_namespaces_ignores_the_others()
    {
        await using var m = await MemberHarness.StartAsync("agent-ns", fixture.Members, fixture.WorkDir, c => new FleetL4.Agent.AgentOptions
        {
            Cluster = c,
            Namespaces = ["shop"],
        });
        m.Apply(MemberHarness.Workload("shop"));
        m.Apply(MemberHarness.Workload("elsewhere"));
        await Eventually.True(() => m.Condition("serviceexports", "shop", "kuard", "Valid", "reason") == "ServiceIsValid", "export in shop");
        Assert.Equal([new NamespacedName("shop", "kuard")], (await fleet().GetMemberClusterAsync("agent-ns")).ServiceExports);
        Assert.Null(m.Condition("serviceexports", "elsewhere", "kuard", "Valid", "reason"));

        FleetL4.HubApi.FleetGrains fleet() => fixture.Hub.Fleet;
    }

    [Fact]
    public async Task A_409_on_a_status_write_is_retried_after_a_fresh_read()
    {
        await using var m = await MemberHarness.StartAsync("agent-409", fixture.Members, fixture.WorkDir);
        m.Api.Store.ConflictNextStatusPatches = 1;
        m.Apply(MemberHarness.Workload("conflicting-writes"));
        await Eventually.True(() => m.Condition("serviceexports", "conflicting-writes", "kuard", "Valid", "reason") == "ServiceIsValid", "status written despite a 409");
        Assert.Equal(0, m.Api.Store.ConflictNextStatusPatches);
        Assert.True(m.Api.ObjectReads >= 1, "the object was read again after the conflict");
    }

    [Fact]
    public async Task What_was_deleted_while_the_agent_was_down_is_removed_from_the_hub()
    {
        const string ns = "deleted-offline";
        await using var m = await MemberHarness.StartAsync("agent-offline", fixture.Members, fixture.WorkDir);
        m.Apply(MemberHarness.Workload(ns));
        m.Apply(MemberHarness.Mcs(ns));
        await Eventually.True(() => m.McsIp(ns) is not null, "MCS served");
        await m.StopAgentAsync();
        Assert.True(m.Api.Delete("serviceexports", ns, "kuard"));
        Assert.True(m.Api.Delete("multiclusterservices", ns, "kuard"));
        m.StartAgent();
        await Eventually.Get(() => fixture.Hub.Fleet.GetMemberClusterAsync("agent-offline"),
            v => v.ServiceExports.Count == 0 && v.MultiClusterServices.Count == 0, "hub forgot the deleted objects");
        Assert.False((await fixture.Hub.Fleet.GetMultiClusterServiceAsync("agent-offline", ns, "kuard")).Exists);
    }

    [Fact]
    public async Task An_object_the_hub_refuses_does_not_hold_up_the_others()
    {
        const string ns = "refused";
        await using var m = await MemberHarness.StartAsync("agent-refused", fixture.Members, fixture.WorkDir);
        // Sorted first, and refused by the hub every time: a name that is not a DNS-1123 label (our CRD cannot
        // refuse it; another API server might let it through).
        m.Apply($$"""
            apiVersion: networking.fleet.azure.com/v1alpha1
            kind: MultiClusterService
            metadata: { name: AAA, namespace: {{ns}} }
            spec: { serviceImport: { name: kuard } }
            """);
        m.Apply(MemberHarness.Workload(ns));
        m.Apply(MemberHarness.Mcs(ns));
        await Eventually.True(() => m.Condition("serviceexports", ns, "kuard", "Valid", "reason") == "ServiceIsValid" && m.McsIp(ns) is not null,
            "the valid objects are served");
        Assert.Equal([new NamespacedName(ns, "kuard")], (await fixture.Hub.Fleet.GetMemberClusterAsync("agent-refused")).MultiClusterServices);
    }
}
