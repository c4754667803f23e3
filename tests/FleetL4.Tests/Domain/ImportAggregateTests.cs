using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class ImportAggregateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ExportedService Web8080 = new("ClusterIP", "10.0.0.10", [new ServicePort("web", "TCP", 8080)]);
    private static readonly ExportedService Web9090 = new("ClusterIP", "10.0.0.10", [new ServicePort("web", "TCP", 9090)]);

    private static readonly NamespacedName Kuard = new("kuard-demo", "kuard");

    private static ExportContribution Export(
        string cluster, int minutes, string[] backends, ExportedService? service = null, bool live = true) =>
        new(cluster, T0.AddMinutes(minutes), service ?? Web8080, backends, live);

    private static Backend B(string cluster, string address) => new(cluster, address);

    private static void AssertSameSet(IEnumerable<Backend> expected, IEnumerable<Backend> actual) =>
        Assert.Equal(expected.OrderBy(b => b.Cluster, StringComparer.Ordinal).ThenBy(b => b.Address, StringComparer.Ordinal),
            actual.OrderBy(b => b.Cluster, StringComparer.Ordinal).ThenBy(b => b.Address, StringComparer.Ordinal));

    private static void AssertConsistent(ImportAggregate import)
    {
        var backends = import.Backends();
        Assert.Equal(backends.Count, import.BackendCount);
        Assert.Equal(backends.Count, backends.Distinct().Count());
    }

    [Fact]
    public void New_import_is_empty()
    {
        var import = new ImportAggregate(Kuard, 0);
        Assert.Empty(import.Backends());
        Assert.Equal(0, import.BackendCount);
        Assert.Same(ImportInfo.Empty, import.Info);
        Assert.Empty(import.Clusters);
        Assert.Empty(import.Describe());
    }

    [Fact]
    public void Two_clusters_contributions_are_added()
    {
        var import = new ImportAggregate(Kuard, 0);

        var first = import.Upsert(Export("aks-member-1", 0, ["10.1.0.1", "10.1.0.2"]));
        AssertSameSet([B("aks-member-1", "10.1.0.1"), B("aks-member-1", "10.1.0.2")], first.Added);
        Assert.Empty(first.Removed);
        Assert.True(first.InfoChanged);
        Assert.Empty(first.VerdictChanges);

        var second = import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"]));
        AssertSameSet([B("aks-member-2", "10.2.0.1")], second.Added);
        Assert.Empty(second.Removed);
        Assert.True(second.InfoChanged); // the cluster list grew

        AssertSameSet([B("aks-member-1", "10.1.0.1"), B("aks-member-1", "10.1.0.2"), B("aks-member-2", "10.2.0.1")], import.Backends());
        Assert.Equal(3, import.BackendCount);
        Assert.Equal(["aks-member-1", "aks-member-2"], import.Info.Clusters);
        Assert.Equal(Web8080.Ports, import.Info.Ports);
        Assert.Equal("ClusterSetIP", import.Info.Type);
        Assert.Equal("None", import.Info.SessionAffinity);
        Assert.False(import.VerdictFor("aks-member-1").Conflict);
        Assert.False(import.VerdictFor("aks-member-2").Conflict);
        Assert.Equal("service kuard-demo/kuard is exported without conflict", import.VerdictFor("aks-member-2").Message);
    }

    [Fact]
    public void Same_address_in_two_clusters_is_two_backends()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.0.0.1"]));
        var change = import.Upsert(Export("aks-member-2", 1, ["10.0.0.1"]));
        AssertSameSet([B("aks-member-2", "10.0.0.1")], change.Added);
        Assert.Equal(2, import.BackendCount);
    }

    [Fact]
    public void Duplicate_addresses_in_one_contribution_count_once()
    {
        var import = new ImportAggregate(Kuard, 0);
        var change = import.Upsert(Export("aks-member-1", 0, ["10.1.0.1", "10.1.0.1"]));
        Assert.Single(change.Added);
        Assert.Equal(1, import.BackendCount);
        AssertConsistent(import);
    }

    [Fact]
    public void Endpoint_only_update_yields_exactly_the_diff()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1", "10.1.0.2"]));
        import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"]));
        var epoch = import.Epoch;
        var info = import.Info;

        var change = import.Upsert(Export("aks-member-1", 0, ["10.1.0.2", "10.1.0.3"]));

        Assert.Equal([B("aks-member-1", "10.1.0.3")], change.Added);
        Assert.Equal([B("aks-member-1", "10.1.0.1")], change.Removed);
        Assert.False(change.InfoChanged);
        Assert.Empty(change.VerdictChanges);
        Assert.Equal(epoch, import.Epoch);
        Assert.Same(info, import.Info);
        AssertSameSet([B("aks-member-1", "10.1.0.2"), B("aks-member-1", "10.1.0.3"), B("aks-member-2", "10.2.0.1")], import.Backends());
        AssertConsistent(import);
    }

    [Fact]
    public void Identical_update_changes_nothing()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        var epoch = import.Epoch;
        var change = import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        Assert.True(change.IsEmpty);
        Assert.Empty(change.VerdictChanges);
        Assert.Equal(epoch, import.Epoch);
    }

    [Fact]
    public void Newer_conflicting_export_adds_no_backends_and_does_not_change_traffic()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1", "10.1.0.2"]));
        var before = import.Backends().ToArray();
        var info = import.Info;

        var change = import.Upsert(Export("aks-member-2", 5, ["10.2.0.1"], Web9090));

        Assert.Empty(change.Added);
        Assert.Empty(change.Removed);
        Assert.False(change.InfoChanged);
        Assert.True(change.VerdictChanges["aks-member-1"].Conflict); // KEP-1645: the winner is told it is in a conflict too
        AssertSameSet(before, import.Backends());
        Assert.True(ServiceEquality.Same(info, import.Info));
        Assert.Equal(["aks-member-1"], import.Info.Clusters);

        var verdict = import.VerdictFor("aks-member-2");
        Assert.True(verdict.Conflict);
        Assert.Contains("its ports differ from the oldest export", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("\"aks-member-1\"", verdict.Message, StringComparison.Ordinal);
        Assert.Equal(import.Epoch, verdict.Epoch);
        Assert.True(import.VerdictFor("aks-member-1").Conflict);

        var view = import.Describe().Single(v => v.Cluster == "aks-member-2");
        Assert.Equal("Conflict", view.State);
        Assert.Equal(0, view.Backends);
        Assert.Equal(verdict.Message, view.ConflictMessage);
        AssertConsistent(import);
    }

    [Fact]
    public void Endpoint_updates_of_a_conflicting_export_change_no_traffic()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        import.Upsert(Export("aks-member-2", 5, ["10.2.0.1"], Web9090));
        var change = import.Upsert(Export("aks-member-2", 5, ["10.2.0.7", "10.2.0.8"], Web9090));
        Assert.True(change.IsEmpty);
        AssertSameSet([B("aks-member-1", "10.1.0.1")], import.Backends());
        AssertConsistent(import);
    }

    [Fact]
    public void Removing_the_winner_makes_the_oldest_remaining_export_win()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        import.Upsert(Export("aks-member-3", 20, ["10.3.0.1"], Web9090));
        import.Upsert(Export("aks-member-2", 10, ["10.2.0.1", "10.2.0.2"], Web9090));
        // an endpoint update while in conflict: the newest endpoints must be the ones that come in later
        import.Upsert(Export("aks-member-2", 10, ["10.2.0.2", "10.2.0.3"], Web9090));
        Assert.True(import.VerdictFor("aks-member-2").Conflict);
        Assert.True(import.VerdictFor("aks-member-3").Conflict);
        var epoch = import.Epoch;

        var change = import.Remove("aks-member-1");

        AssertSameSet([B("aks-member-1", "10.1.0.1")], change.Removed);
        AssertSameSet([B("aks-member-2", "10.2.0.2"), B("aks-member-2", "10.2.0.3"), B("aks-member-3", "10.3.0.1")], change.Added);
        Assert.True(change.InfoChanged);
        Assert.Equal(Web9090.Ports, import.Info.Ports);
        Assert.Equal(["aks-member-2", "aks-member-3"], import.Info.Clusters);

        Assert.False(change.VerdictChanges["aks-member-2"].Conflict);
        Assert.False(change.VerdictChanges["aks-member-3"].Conflict);
        Assert.Equal("service kuard-demo/kuard is exported without conflict", change.VerdictChanges["aks-member-3"].Message);
        Assert.DoesNotContain("aks-member-1", change.VerdictChanges.Keys);
        Assert.All(change.VerdictChanges.Values, v => Assert.Equal(import.Epoch, v.Epoch));
        Assert.True(import.Epoch > epoch);
        Assert.Equal(["aks-member-2", "aks-member-3"], import.Clusters.Order(StringComparer.Ordinal));
        AssertSameSet(change.Added, import.Backends());
        AssertConsistent(import);
    }

    [Fact]
    public void Removing_the_winner_keeps_conflicts_against_the_new_winner()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        import.Upsert(Export("aks-member-2", 10, ["10.2.0.1"], Web9090));
        import.Upsert(Export("aks-member-3", 20, ["10.3.0.1"]));

        var change = import.Remove("aks-member-1");

        // aks-member-2 (9090) is now the oldest; aks-member-3 (8080) loses its place.
        AssertSameSet([B("aks-member-1", "10.1.0.1"), B("aks-member-3", "10.3.0.1")], change.Removed);
        AssertSameSet([B("aks-member-2", "10.2.0.1")], change.Added);
        Assert.True(change.VerdictChanges["aks-member-2"].Conflict); // the new winner, in conflict with member-3
        Assert.True(change.VerdictChanges["aks-member-3"].Conflict);
        Assert.Contains("\"aks-member-2\"", change.VerdictChanges["aks-member-3"].Message, StringComparison.Ordinal);
        AssertConsistent(import);
    }

    [Fact]
    public void Removing_the_last_export_empties_the_import()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        var change = import.Remove("aks-member-1");
        AssertSameSet([B("aks-member-1", "10.1.0.1")], change.Removed);
        Assert.True(change.InfoChanged);
        Assert.Empty(import.Info.Clusters);
        Assert.Empty(import.Info.Ports);
        Assert.Empty(import.Backends());
        Assert.Equal(0, import.BackendCount);
    }

    [Fact]
    public void Removing_an_unknown_cluster_is_a_no_op()
    {
        var import = new ImportAggregate(Kuard, 7);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        var epoch = import.Epoch;
        var change = import.Remove("aks-member-9");
        Assert.True(change.IsEmpty);
        Assert.Empty(change.VerdictChanges);
        Assert.Equal(epoch, import.Epoch);
        Assert.Equal(1, import.BackendCount);
    }

    [Fact]
    public void Lease_loss_removes_a_clusters_backends_and_its_return_restores_them()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        import.Upsert(Export("aks-member-2", 1, ["10.2.0.1", "10.2.0.2"]));

        var lost = import.Upsert(Export("aks-member-2", 1, ["10.2.0.1", "10.2.0.2"], live: false));
        AssertSameSet([B("aks-member-2", "10.2.0.1"), B("aks-member-2", "10.2.0.2")], lost.Removed);
        Assert.Empty(lost.Added);
        Assert.True(lost.InfoChanged);
        Assert.Equal(["aks-member-1"], import.Info.Clusters);
        AssertSameSet([B("aks-member-1", "10.1.0.1")], import.Backends());
        Assert.Equal("LeaseExpired", import.Describe().Single(v => v.Cluster == "aks-member-2").State);
        Assert.Contains("aks-member-2", import.Clusters);
        AssertConsistent(import);

        // endpoints reported while the lease is down do not take traffic
        var quiet = import.Upsert(Export("aks-member-2", 1, ["10.2.0.2", "10.2.0.3"], live: false));
        Assert.True(quiet.IsEmpty);

        var back = import.Upsert(Export("aks-member-2", 1, ["10.2.0.2", "10.2.0.3"], live: true));
        AssertSameSet([B("aks-member-2", "10.2.0.2"), B("aks-member-2", "10.2.0.3")], back.Added);
        Assert.Empty(back.Removed);
        Assert.True(back.InfoChanged);
        Assert.Equal(["aks-member-1", "aks-member-2"], import.Info.Clusters);
        AssertConsistent(import);
    }

    [Fact]
    public void Every_export_in_a_conflict_says_so_the_winner_too_and_the_winner_stays_in_use()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        Assert.Equal(new ConflictVerdict(false, "service kuard-demo/kuard is exported without conflict", import.Epoch), import.VerdictFor("aks-member-1"));

        var change = import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"], Web9090));
        var loser = import.VerdictFor("aks-member-2");
        var winner = import.VerdictFor("aks-member-1");
        Assert.True(loser.Conflict);
        Assert.Equal("service kuard-demo/kuard is in conflict with other exported services: its ports differ from the oldest export, "
            + "in cluster \"aks-member-1\" (9090/TCP vs 8080/TCP); this export is not in use", loser.Message);
        Assert.True(winner.Conflict);
        Assert.Equal("service kuard-demo/kuard is in conflict with other exported services: this export is the oldest and is the one in use; "
            + "the ports of the export in cluster \"aks-member-2\" differ and are not in use", winner.Message);
        // The winner learns it through the change (it was not the one updated); it keeps serving.
        Assert.Equal(winner, change.VerdictChanges["aks-member-1"]);
        AssertSameSet([B("aks-member-1", "10.1.0.1")], import.Backends());
        Assert.Equal(["aks-member-1"], import.Info.Clusters);
        var views = import.Describe();
        Assert.Equal(("Active", winner.Message), (views[0].State, views[0].ConflictMessage));
        Assert.Equal(("Conflict", loser.Message), (views[1].State, views[1].ConflictMessage));

        // Once the loser agrees, nobody is in conflict any more.
        var resolved = import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"]));
        Assert.False(import.VerdictFor("aks-member-1").Conflict);
        Assert.False(resolved.VerdictChanges["aks-member-1"].Conflict);
    }

    [Fact]
    public void The_winner_names_every_conflicting_cluster_and_field()
    {
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        import.Upsert(Export("aks-member-3", 2, [], new ExportedService("ClusterIP", "10.0.0.10", [new ServicePort("web", "TCP", 8080)], "ClientIP")));
        import.Upsert(Export("aks-member-2", 1, [], Web9090));
        Assert.Equal("service kuard-demo/kuard is in conflict with other exported services: this export is the oldest and is the one in use; "
            + "the ports and sessionAffinity of the exports in clusters \"aks-member-2\", \"aks-member-3\" differ and are not in use",
            import.VerdictFor("aks-member-1").Message);
    }

    [Fact]
    public void Info_takes_ports_in_the_winners_order_and_its_affinity()
    {
        var service = new ExportedService("ClusterIP", "10.0.0.10",
            [new ServicePort("tls", "TCP", 443), new ServicePort("dns", "UDP", 53), new ServicePort("dns-tcp", "TCP", 53)], "ClientIP");
        var import = new ImportAggregate(Kuard, 0);
        import.Upsert(Export("aks-member-1", 0, [], service));
        Assert.Equal([443, 53, 53], import.Info.Ports.Select(p => p.Port));
        Assert.Equal(["TCP", "UDP", "TCP"], import.Info.Ports.Select(p => p.Protocol));
        Assert.Equal("ClientIP", import.Info.SessionAffinity);
        Assert.Equal(["aks-member-1"], import.Info.Clusters);
    }

    [Fact]
    public void Epoch_increases_on_structural_changes_only()
    {
        var import = new ImportAggregate(Kuard, 41);
        Assert.Equal(41, import.Epoch);

        var steps = new (string What, Func<ImportChange> Step, bool Structural)[]
        {
            ("first export", () => import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"])), true),
            ("endpoints", () => import.Upsert(Export("aks-member-1", 0, ["10.1.0.2"])), false),
            ("second export", () => import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"])), true),
            ("same again", () => import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"])), false),
            ("ports", () => import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"], Web9090)), true),
            ("conflicting endpoints", () => import.Upsert(Export("aks-member-2", 1, ["10.2.0.5"], Web9090)), false),
            ("lease", () => import.Upsert(Export("aks-member-1", 0, ["10.1.0.2"], live: false)), true),
            ("lease back", () => import.Upsert(Export("aks-member-1", 0, ["10.1.0.2"], live: true)), true),
            ("re-created", () => import.Upsert(Export("aks-member-1", 3, ["10.1.0.2"])), true),
            ("remove unknown", () => import.Remove("aks-member-7"), false),
            ("remove", () => import.Remove("aks-member-2"), true),
        };
        foreach (var (what, step, structural) in steps)
        {
            var before = import.Epoch;
            step();
            if (structural) Assert.True(import.Epoch > before, $"{what}: epoch should increase");
            else Assert.True(import.Epoch == before, $"{what}: epoch should stay {before}, is {import.Epoch}");
            AssertConsistent(import);
        }
    }

    [Fact]
    public void Verdict_epoch_is_the_current_epoch()
    {
        var import = new ImportAggregate(Kuard, 100);
        import.Upsert(Export("aks-member-1", 0, ["10.1.0.1"]));
        import.Upsert(Export("aks-member-2", 1, ["10.2.0.1"], Web9090));
        Assert.Equal(import.Epoch, import.VerdictFor("aks-member-1").Epoch);
        Assert.Equal(import.Epoch, import.VerdictFor("aks-member-2").Epoch);
        Assert.True(import.Epoch > 100);
    }

    [Fact]
    public void Random_updates_keep_the_delta_stream_equal_to_the_backend_set()
    {
        var random = new Random(20260101);
        var clusters = Enumerable.Range(1, 20).Select(i => $"aks-member-{i:00}").ToArray();
        ExportedService[] services =
        [
            Web8080,
            Web9090,
            new("ClusterIP", "10.0.0.10", [new ServicePort("web", "TCP", 8080)], "ClientIP"),
            new("NodePort", "10.0.0.11", [new ServicePort("web", "TCP", 8080)]), // same export shape as Web8080
        ];
        var import = new ImportAggregate(Kuard, 0);
        var current = new Dictionary<string, ExportContribution>(StringComparer.Ordinal);
        var running = new HashSet<Backend>();
        int verdictFlips = 0, endpointDeltas = 0, structuralDeltas = 0, conflictedSteps = 0;

        for (var step = 0; step < 2000; step++)
        {
            var cluster = clusters[random.Next(clusters.Length)];
            var infoBefore = import.Info;
            var epochBefore = import.Epoch;
            var verdictsBefore = current.Keys.ToDictionary(k => k, import.VerdictFor, StringComparer.Ordinal);
            ImportChange change;
            bool structural;
            string what;
            if (random.Next(5) == 0)
            {
                what = $"remove {cluster}";
                structural = current.Remove(cluster);
                change = import.Remove(cluster);
            }
            else
            {
                var existing = current.GetValueOrDefault(cluster);
                var endpointsOnly = existing is not null && random.Next(2) == 0;
                var index = clusters.Length - Array.IndexOf(clusters, cluster);
                var backends = Enumerable.Range(0, random.Next(0, 7)).Select(_ => $"10.{index}.0.{random.Next(1, 10)}").ToArray();
                var contribution = endpointsOnly
                    ? existing! with { Backends = backends }
                    : new ExportContribution(cluster, T0.AddMinutes(random.Next(0, 4)), services[random.Next(services.Length)],
                        backends, ClusterLive: random.Next(6) != 0);
                structural = existing is null || existing.CreationTimestamp != contribution.CreationTimestamp
                    || existing.ClusterLive != contribution.ClusterLive
                    || existing.Service != contribution.Service;
                what = $"upsert {cluster} {(structural ? "structural" : "endpoints only")}";
                current[cluster] = contribution;
                change = import.Upsert(contribution);
            }
            var context = $"step {step}: {what}";

            foreach (var b in change.Removed)
                Assert.True(running.Remove(b), $"{context}: removed {b} that was not in the set");
            foreach (var b in change.Added)
                Assert.True(running.Add(b), $"{context}: added {b} that was already in the set");

            var actual = import.Backends();
            Assert.True(running.SetEquals(actual), $"{context}: the delta stream diverged from Backends()");
            Assert.Equal(actual.Count, import.BackendCount);
            Assert.Equal(actual.Count, actual.Distinct().Count());

            // Independent model: the oldest export (tie: cluster name) wins; live exports that agree with
            // it take traffic.
            var expected = Model(current);
            Assert.True(expected.SetEquals(actual), $"{context}: Backends() differs from the model");

            Assert.Equal(structural, import.Epoch != epochBefore);
            Assert.True(import.Epoch >= epochBefore, context);
            Assert.Equal(!ServiceEquality.Same(infoBefore, import.Info), change.InfoChanged);
            foreach (var (key, was) in verdictsBefore)
            {
                if (key == cluster || !current.ContainsKey(key)) continue;
                var now = import.VerdictFor(key);
                if (was.Conflict != now.Conflict)
                {
                    Assert.True(change.VerdictChanges.TryGetValue(key, out var reported), $"{context}: verdict of {key} changed unreported");
                    Assert.Equal(now.Conflict, reported.Conflict);
                }
            }
            Assert.Equal(current.Keys.Order(StringComparer.Ordinal), import.Clusters.Order(StringComparer.Ordinal));

            if (change.VerdictChanges.Any(kv => verdictsBefore.TryGetValue(kv.Key, out var was) && was.Conflict != kv.Value.Conflict)) verdictFlips++;
            if (change.Added.Count + change.Removed.Count > 0) { if (structural) structuralDeltas++; else endpointDeltas++; }
            if (current.Keys.Any(k => import.VerdictFor(k).Conflict)) conflictedSteps++;
        }

        // The sequence must exercise the interesting paths, or the assertions above prove little.
        Assert.True(verdictFlips > 20, $"only {verdictFlips} steps flipped a verdict");
        Assert.True(endpointDeltas > 100, $"only {endpointDeltas} endpoint-only steps moved backends");
        Assert.True(structuralDeltas > 100, $"only {structuralDeltas} structural steps moved backends");
        Assert.True(conflictedSteps > 500, $"only {conflictedSteps} steps had a conflict");
    }

    private static HashSet<Backend> Model(IReadOnlyDictionary<string, ExportContribution> exports)
    {
        var set = new HashSet<Backend>();
        var winner = exports.Values.OrderBy(e => e.CreationTimestamp).ThenBy(e => e.Cluster, StringComparer.Ordinal).FirstOrDefault();
        if (winner is null) return set;
        foreach (var e in exports.Values)
        {
            if (!e.ClusterLive) continue;
            var agrees = e.Service.SessionAffinity == winner.Service.SessionAffinity
                && e.Service.Ports.OrderBy(p => p.Port).SequenceEqual(winner.Service.Ports.OrderBy(p => p.Port));
            if (!agrees) continue;
            foreach (var a in e.Backends) set.Add(new Backend(e.Cluster, a));
        }
        return set;
    }
}
