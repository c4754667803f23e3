using FleetL4.Domain;
using FleetL4.Models;
using Xunit;

namespace FleetL4.Tests.Domain;

public class ConflictResolverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ExportedService Svc(params ServicePort[] ports) => new("ClusterIP", "10.0.0.10", ports);

    private static ExportedService Svc(string affinity, params ServicePort[] ports) => new("ClusterIP", "10.0.0.10", ports, affinity);

    private static readonly ExportedService Web8080 = Svc(new ServicePort(null, "TCP", 8080));

    private static ConflictCandidate C(string cluster, int minutes, ExportedService? service = null) =>
        new(cluster, T0.AddMinutes(minutes), service ?? Web8080);

    [Fact]
    public void Empty_input_has_no_winner()
    {
        var r = ConflictResolver.Resolve([]);
        Assert.Null(r.Winner);
        Assert.Empty(r.Conflicts);
    }

    [Fact]
    public void Single_export_wins_without_conflict()
    {
        var r = ConflictResolver.Resolve([C("aks-member-1", 0)]);
        Assert.Equal("aks-member-1", r.Winner);
        Assert.Empty(r.Conflicts);
    }

    [Fact]
    public void Oldest_wins_whatever_the_input_order()
    {
        var a = C("aks-member-3", 0);
        var b = C("aks-member-1", 5);
        var c = C("aks-member-2", 10);
        foreach (var order in new[] { new[] { a, b, c }, [c, b, a], [b, c, a], [c, a, b] })
            Assert.Equal("aks-member-3", ConflictResolver.Resolve(order).Winner);
    }

    [Fact]
    public void Oldest_is_compared_as_instants_not_local_clock_text()
    {
        // 01:00+02:00 is 23:00Z the day before: older than 00:30Z.
        var east = new ConflictCandidate("aks-a", new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(2)), Web8080);
        var utc = new ConflictCandidate("aks-b", new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.Zero), Web8080);
        Assert.Equal("aks-a", ConflictResolver.Resolve([utc, east]).Winner);
    }

    [Theory]
    [InlineData("aks-member-1", "aks-member-2", "aks-member-1")]
    [InlineData("aks-member-2", "aks-member-1", "aks-member-1")]
    [InlineData("B", "a", "B")] // ordinal: upper case sorts first
    public void Tie_is_broken_by_cluster_name(string first, string second, string winner)
    {
        var r = ConflictResolver.Resolve([C(first, 0, Svc(new ServicePort(null, "TCP", 1))), C(second, 0, Svc(new ServicePort(null, "TCP", 2)))]);
        Assert.Equal(winner, r.Winner);
        Assert.Equal([first == winner ? second : first], r.Conflicts.Keys);
    }

    [Fact]
    public void Port_order_does_not_matter()
    {
        var a = Svc(new ServicePort("web", "TCP", 80), new ServicePort("dns", "UDP", 53), new ServicePort("tls", "TCP", 443));
        var b = Svc(new ServicePort("tls", "TCP", 443), new ServicePort("web", "TCP", 80), new ServicePort("dns", "UDP", 53));
        var r = ConflictResolver.Resolve([C("aks-member-1", 0, a), C("aks-member-2", 1, b)]);
        Assert.Empty(r.Conflicts);
        Assert.Null(ConflictResolver.Difference(a, b));
    }

    [Fact]
    public void Different_port_set_conflicts_and_names_ports_and_the_winner()
    {
        var r = ConflictResolver.Resolve([
            C("aks-member-2", 5, Svc(new ServicePort(null, "TCP", 9090))),
            C("aks-member-1", 0, Svc(new ServicePort(null, "TCP", 8080))),
        ]);
        Assert.Equal("aks-member-1", r.Winner);
        var finding = r.Conflicts["aks-member-2"];
        Assert.Equal("ports", finding.Field);
        Assert.Contains("8080/TCP", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("9090/TCP", finding.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("aks-member-1", r.Conflicts.Keys);
    }

    [Theory]
    [InlineData("UDP", 8080)]  // same number, other protocol
    [InlineData("TCP", 8081)]
    public void Any_difference_in_protocol_and_port_conflicts(string protocol, int port)
    {
        var d = ConflictResolver.Difference(Web8080, Svc(new ServicePort(null, protocol, port)));
        Assert.NotNull(d);
        Assert.Equal("ports", d.Value.Field);
    }

    [Fact]
    public void Extra_or_missing_port_conflicts()
    {
        var two = Svc(new ServicePort(null, "TCP", 8080), new ServicePort(null, "TCP", 8443));
        Assert.Equal("ports", ConflictResolver.Difference(Web8080, two)?.Field);
        Assert.Equal("ports", ConflictResolver.Difference(two, Web8080)?.Field);
        Assert.Equal("ports", ConflictResolver.Difference(Web8080, Svc())?.Field);
    }

    [Fact]
    public void Same_port_with_different_targetPort_conflicts()
    {
        var d = ConflictResolver.Difference(Svc(new ServicePort(null, "TCP", 80, 8080)), Svc(new ServicePort(null, "TCP", 80, 9090)));
        Assert.NotNull(d);
        Assert.Equal("ports", d.Value.Field);
        Assert.Contains("targetPort", d.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetPort_zero_means_the_port_itself()
    {
        Assert.Null(ConflictResolver.Difference(Svc(new ServicePort(null, "TCP", 80, 0)), Svc(new ServicePort(null, "TCP", 80, 80))));
    }

    [Theory]
    [InlineData("web", "http")]
    [InlineData("web", null)]
    [InlineData(null, "web")]
    public void Same_port_with_different_name_conflicts(string? winnerName, string? otherName)
    {
        var d = ConflictResolver.Difference(Svc(new ServicePort(winnerName, "TCP", 80)), Svc(new ServicePort(otherName, "TCP", 80)));
        Assert.NotNull(d);
        Assert.Equal("ports", d.Value.Field);
        Assert.Contains("name", d.Value.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http", "h2c")]
    [InlineData("http", null)]
    public void Same_port_with_different_appProtocol_conflicts(string? winner, string? other)
    {
        var d = ConflictResolver.Difference(Svc(new ServicePort("web", "TCP", 80, AppProtocol: winner)), Svc(new ServicePort("web", "TCP", 80, AppProtocol: other)));
        Assert.NotNull(d);
        Assert.Equal("ports", d.Value.Field);
        Assert.Contains("appProtocol", d.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_sessionAffinity_conflicts_and_names_the_field()
    {
        var r = ConflictResolver.Resolve([
            C("aks-member-1", 0, Svc("None", new ServicePort(null, "TCP", 8080))),
            C("aks-member-2", 1, Svc("ClientIP", new ServicePort(null, "TCP", 8080))),
        ]);
        var finding = r.Conflicts["aks-member-2"];
        Assert.Equal("sessionAffinity", finding.Field);
        Assert.Equal("ClientIP vs None", finding.Detail);
    }

    [Fact]
    public void Service_type_and_clusterIP_do_not_conflict()
    {
        var a = new ExportedService("ClusterIP", "10.0.0.1", [new ServicePort(null, "TCP", 80)]);
        var b = new ExportedService("LoadBalancer", "10.9.9.9", [new ServicePort(null, "TCP", 80)]);
        Assert.Null(ConflictResolver.Difference(a, b));
    }

    [Fact]
    public void Each_export_is_compared_with_the_oldest_not_with_its_neighbour()
    {
        var r = ConflictResolver.Resolve([
            C("aks-member-1", 0, Svc(new ServicePort(null, "TCP", 8080))),
            C("aks-member-2", 1, Svc(new ServicePort(null, "TCP", 9090))),
            C("aks-member-3", 2, Svc(new ServicePort(null, "TCP", 9090))),
            C("aks-member-4", 3, Svc(new ServicePort(null, "TCP", 8080))),
        ]);
        Assert.Equal("aks-member-1", r.Winner);
        Assert.Equal(["aks-member-2", "aks-member-3"], r.Conflicts.Keys.Order(StringComparer.Ordinal));
        Assert.All(r.Conflicts.Values, f => Assert.Equal(new ConflictFinding("ports", "9090/TCP vs 8080/TCP"), f));
    }

    [Fact]
    public void Conflict_finding_names_the_field_and_both_values()
    {
        var r = ConflictResolver.Resolve([
            C("aks-member-1", 0, Svc(new ServicePort(null, "TCP", 9090))),
            C("aks-member-2", 1, Svc(new ServicePort(null, "TCP", 8080))),
        ]);
        Assert.Equal(new ConflictFinding("ports", "8080/TCP vs 9090/TCP"), r.Conflicts["aks-member-2"]);
    }

    [Fact]
    public void Describe_sorts_ports_and_names_empty()
    {
        Assert.Equal("53/TCP, 53/UDP, 8080/TCP", ConflictResolver.Describe([new(null, "UDP", 53), new(null, "TCP", 8080), new(null, "TCP", 53)]));
        Assert.Equal("no ports", ConflictResolver.Describe([]));
    }
}
