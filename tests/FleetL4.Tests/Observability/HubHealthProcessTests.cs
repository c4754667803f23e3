using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Observability;

/// <summary>The real hub process on its Hub:HealthUrl: liveness, readiness once the silo is active, and Prometheus
/// text with the propagation histogram after a change went through to the load balancer.</summary>
public sealed partial class HubHealthProcessTests
{
    [Fact]
    public async Task The_hub_serves_healthz_readyz_and_metrics_on_its_health_port_only()
    {
        var ports = LoopbackBlock.FreePorts(5);
        var health = $"http://127.0.0.1:{ports[4]}";
        await using var hub = await HubProcess.StartOnAsync((ports[0], ports[1], ports[2], ports[3]), $"--Hub:HealthUrl={health}");
        Assert.Contains($"Health and metrics: {health}/healthz, /readyz, /metrics", hub.Output, StringComparison.Ordinal);
        using var http = new HttpClient();

        var live = await http.GetAsync($"{health}/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await Eventually.Get(() => http.GetAsync($"{health}/readyz"), r => r.StatusCode == HttpStatusCode.OK, "/readyz 200");
        Assert.Equal("ok", (await ready.Content.ReadAsStringAsync()).Trim());
        // Only that port: the dashboard's does not serve them.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{hub.DashboardPort}/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{hub.DashboardPort}/readyz")).StatusCode);

        using (var fleet = hub.Client())
        {
            await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export("kuard-demo", Seed.T0, Seed.Ready("10.1.0.1", "10.1.0.2")));
            await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs("kuard-demo"));
            await Eventually.Get(() => fleet.GetMultiClusterServiceAsync("aks-member-1", "kuard-demo", "kuard"),
                m => m.ExternalIp is not null && m.Backends.Count == 2 && m.LoadBalancerInSync, "MCS with IP and 2 backends, in sync");
        }

        // The exporter serves what it collected at most a moment ago: poll until the sample is in.
        var metrics = await Eventually.Get(() => http.GetStringAsync($"{health}/metrics"),
            text => Count(text, "fleetl4_propagation_duration_seconds_count") >= 1, "a propagation sample in /metrics");
        foreach (var le in new[] { "0.001", "0.02", "1", "50", "+Inf" })
            Assert.Matches($"(?m)^fleetl4_propagation_duration_seconds_bucket\\{{.*le=\"{Regex.Escape(le)}\".*\\}} \\d+", metrics);
        Assert.True(Count(metrics, "fleetl4_provider_calls_total") >= 1, metrics);
        Assert.Matches("(?m)^fleetl4_clusters\\{.*state=\"healthy\".*\\} 1( |$)", metrics);
        Assert.Matches("(?m)^fleetl4_import_endpoints\\{.*import=\"kuard-demo/kuard\".*\\} 2( |$)", metrics);
        Assert.Contains("orleans_storage_write_latency", metrics, StringComparison.Ordinal); // Orleans' own meter is exported too
    }

    [Fact]
    public async Task A_health_url_on_the_api_port_or_in_https_stops_the_hub_naming_the_key()
    {
        var taken = await HubProcess.RunToExitAsync("--Hub:ApiUrl=http://127.0.0.1:30999", "--Hub:HealthUrl=http://127.0.0.1:30999");
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("error: Hub:HealthUrl: port 30999 is also Hub:ApiUrl's", taken.Stderr, StringComparison.Ordinal);

        var https = await HubProcess.RunToExitAsync("--Hub:HealthUrl=https://0.0.0.0:9464");
        Assert.Equal(1, https.ExitCode);
        Assert.Contains("error: Hub:HealthUrl: \"https://0.0.0.0:9464\" must be http://", https.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The sum of a metric's samples over its series (Prometheus text: `name{labels} value`).</summary>
    private static double Count(string metrics, string name) =>
        SampleLine().Matches(metrics).Where(m => m.Groups["name"].Value == name)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?m)^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[0-9.eE+-]+)")]
    private static partial Regex SampleLine();
}
