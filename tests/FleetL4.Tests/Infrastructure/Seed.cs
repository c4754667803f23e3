using FleetL4.Models;

namespace FleetL4.Tests.Infrastructure;

/// <summary>Builders for the seed walkthrough's objects: kuard on 8080/TCP.</summary>
public static class Seed
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly Dictionary<string, string> EastUs = new() { ["fleet.azure.com/location"] = "eastus" };
    public static readonly Dictionary<string, string> WestUs = new() { ["fleet.azure.com/location"] = "westus" };

    public static ExportedService Kuard(params ServicePort[] ports) =>
        new("ClusterIP", "10.0.0.10", ports.Length == 0 ? [new ServicePort(null, "TCP", 8080)] : ports);

    public static EndpointInfo[] Ready(params string[] addresses) => addresses.Select(a => new EndpointInfo(a)).ToArray();

    public static ServiceExportReport Export(string ns, DateTimeOffset created, IReadOnlyList<EndpointInfo> endpoints,
        ExportedService? service = null, string name = "kuard", string? weight = null, long revision = 0) =>
        new(ns, name, created, service ?? Kuard(), endpoints, 1, revision, weight);

    public static MultiClusterServiceSpec Mcs(string ns, string name = "kuard", string import = "kuard",
        Dictionary<string, string>? annotations = null) => new(ns, name, import, annotations);
}
