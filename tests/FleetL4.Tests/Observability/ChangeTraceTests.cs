using System.Diagnostics;
using FleetL4.Telemetry;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FleetL4.Tests.Observability;

/// <summary>
/// A change made through FleetClient is one trace from the member's call, across the hub API (W3C traceparent) and
/// the grains (Orleans' activity propagation, one-way messages too), to the provider call that applies it; that call
/// records a propagation sample inside the trace. The hub API runs on a silo's own grain factory, as in the hub.
/// </summary>
public sealed class ChangeTraceTests
{
    private const string Cluster = "aks-member-1";

    [Fact]
    public async Task An_MCS_apply_and_an_endpoint_change_are_each_one_trace_from_the_client_to_the_provider()
    {
        using var telemetry = new TelemetryCapture();
        await using var hub = await FleetTestCluster.StartAsync(configureSilo: silo => silo.AddActivityPropagation());
        await using var api = await HubApiHost.StartAsync(hub.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>());
        using var fleet = api.Client();
        var lb = GrainKeys.MultiClusterService(Cluster, "kuard-demo", "kuard");
        await fleet.JoinClusterAsync(Cluster, Seed.EastUs);
        await fleet.ReportServiceExportAsync(Cluster, Seed.Export("kuard-demo", Seed.T0, Seed.Ready("10.1.0.1")));

        // The MCS's first provider call follows its apply: member -> member cluster grain -> MCS grain.
        var started = Stopwatch.GetTimestamp();
        var apply = await Traced("apply the MCS", () => fleet.ApplyMultiClusterServiceAsync(Cluster, Seed.Mcs("kuard-demo")));
        await hub.WaitForBackendsAsync(lb, "10.1.0.1");
        var applyTrace = await ProviderTrace(telemetry, apply, lb);
        Assert.Contains(applyTrace, s => s.Source.Name == "Microsoft.Orleans.Application" && s.DisplayName.Contains("IMultiClusterServiceGrain/Apply", StringComparison.Ordinal));
        AssertPropagationSample(telemetry, apply, Stopwatch.GetElapsedTime(started));

        // An endpoint change reaches the MCS as a one-way delta from the import: still the member's trace.
        started = Stopwatch.GetTimestamp();
        var report = await Traced("report an endpoint", () => fleet.ReportServiceExportAsync(Cluster, Seed.Export("kuard-demo", Seed.T0, Seed.Ready("10.1.0.1", "10.1.0.2"))));
        await hub.WaitForBackendsAsync(lb, "10.1.0.1", "10.1.0.2");
        var reportTrace = await ProviderTrace(telemetry, report, lb);
        Assert.Contains(reportTrace, s => s.DisplayName.Contains("IServiceImportGrain/UpsertExport", StringComparison.Ordinal));
        Assert.Contains(reportTrace, s => s.DisplayName.Contains("IMultiClusterServiceGrain/OnImportUpdate", StringComparison.Ordinal));
        AssertPropagationSample(telemetry, report, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Runs <paramref name="call"/> under a root span of the test's own; the trace id of that root.</summary>
    private static async Task<ActivityTraceId> Traced(string name, Func<Task> call)
    {
        using var root = TelemetryCapture.StartRoot(name);
        await call();
        return root.TraceId;
    }

    /// <summary>
    /// Waits for the provider span of <paramref name="lb"/> in <paramref name="trace"/>, then checks the chain from it
    /// back to the root: every span's parent is in the trace, and the chain passes the client call, the hub API's
    /// request and its ingest span, and a grain call.
    /// </summary>
    private static async Task<IReadOnlyList<Activity>> ProviderTrace(TelemetryCapture telemetry, ActivityTraceId trace, string lb)
    {
        var spans = await Eventually.Get(() => Task.FromResult(telemetry.Trace(trace)),
            t => t.Any(s => IsProviderCall(s, lb)), $"a provider span for {lb} in trace {trace}");
        var byId = spans.ToDictionary(s => s.SpanId);
        var chain = new List<Activity>();
        for (var span = spans.First(s => IsProviderCall(s, lb)); ; span = byId[span.ParentSpanId])
        {
            chain.Add(span);
            if (span.ParentSpanId == default) break;
            Assert.True(byId.ContainsKey(span.ParentSpanId), $"{span.DisplayName}'s parent is not in the trace: [{string.Join(", ", spans.Select(s => s.DisplayName))}]");
        }
        var names = string.Join(" <- ", chain.Select(s => $"{s.Source.Name}:{s.DisplayName}"));
        Assert.Equal("FleetL4.Tests", chain[^1].Source.Name);
        Assert.Contains(chain, s => s.Source.Name == FleetActivities.SourceName && s.Kind == ActivityKind.Client && s.DisplayName == "FleetL4 Sync");
        Assert.Contains(chain, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        Assert.Contains(chain, s => s.DisplayName == "FleetL4 ingest sync");
        Assert.True(chain.Count(s => s.Source.Name == "Microsoft.Orleans.Application") >= 2, names); // the member cluster grain and beyond
        return chain;
    }

    private static bool IsProviderCall(Activity span, string lb) =>
        span.DisplayName == "FleetL4 provider ensure" && (string?)span.GetTagItem("fleetl4.load_balancer") == lb;

    /// <summary>The provider call of this trace recorded one propagation sample: some time, no longer than the test waited.</summary>
    private static void AssertPropagationSample(TelemetryCapture telemetry, ActivityTraceId trace, TimeSpan waited)
    {
        var sample = Assert.Single(telemetry.PropagationSamples(trace));
        Assert.InRange(sample, double.Epsilon, waited.TotalSeconds);
    }
}
