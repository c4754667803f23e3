using System.Text.Json.Nodes;
using FleetL4.FakeKube;
using FleetL4.Models;

namespace FleetL4.AgentBench;

/// <summary>
/// The objects of the benchmark: ServiceExport svc-i in namespace bench-(i mod namespaces), its ClusterIP Service
/// (port 8080) and one EndpointSlice with two ready addresses. Addresses are 10.x.y.z and unique per endpoint; nothing
/// connects to them (the InMemory provider only records desired state).
/// </summary>
public static class Workload
{
    public const string LocationLabel = "fleet.azure.com/location";
    public const string Location = "eastus";
    public const int Port = 8080;

    public static string Namespace(int i, int namespaces) => $"bench-{i % namespaces}";

    public static string Name(int i) => $"svc-{i}";

    /// <summary>The n-th endpoint address: 10.1.0.1, 10.1.0.2, ... (250 per /24, up to 15,625,000 of them).</summary>
    public static string Address(long n) => $"10.{1 + n / 62_500 % 250}.{n / 250 % 250}.{n % 250 + 1}";

    public static string ClusterIp(int i) => $"10.{96 + i / 65_536 % 16}.{i / 256 % 256}.{i % 256}";

    /// <summary>Writes N Services, ServiceExports (v1alpha1) and EndpointSlices straight into the store (no HTTP).</summary>
    public static void Load(FakeApiStore store, int exports, int namespaces)
    {
        var service = FakeApiStore.ForKind("v1", "Service");
        var export = FakeApiStore.ForKind("networking.fleet.azure.com/v1alpha1", "ServiceExport");
        var slice = FakeApiStore.ForKind("discovery.k8s.io/v1", "EndpointSlice");
        for (var i = 0; i < exports; i++)
        {
            var ns = Namespace(i, namespaces);
            Write(store, service, ns, Service(i, ns));
            Write(store, slice, ns, Slice(i, ns, [Address(2L * i), Address(2L * i + 1)]));
            Write(store, export, ns, Export(i, ns));
        }
    }

    private static void Write(FakeApiStore store, FakeResource r, string ns, JsonObject o)
    {
        var (code, result) = store.Write(r, ns, o, create: true);
        if (code >= 300) throw new InvalidOperationException($"loading the fake API server: {result.ToJsonString()}");
    }

    private static JsonObject Meta(string name, string ns) => new() { ["name"] = name, ["namespace"] = ns };

    public static JsonObject Service(int i, string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Meta(Name(i), ns),
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = ClusterIp(i),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = Port, ["targetPort"] = Port }),
        },
    };

    public static JsonObject Export(int i, string ns) => new()
    {
        ["apiVersion"] = "networking.fleet.azure.com/v1alpha1",
        ["kind"] = "ServiceExport",
        ["metadata"] = Meta(Name(i), ns),
    };

    public static JsonObject Slice(int i, string ns, IEnumerable<string> addresses)
    {
        var meta = Meta($"{Name(i)}-1", ns);
        meta["labels"] = new JsonObject { ["kubernetes.io/service-name"] = Name(i) };
        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = meta,
            ["addressType"] = "IPv4",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["protocol"] = "TCP", ["port"] = Port }),
            ["endpoints"] = new JsonArray([.. addresses.Select(a => (JsonNode?)new JsonObject
            {
                ["addresses"] = new JsonArray(a),
                ["conditions"] = new JsonObject { ["ready"] = true },
            })]),
        };
    }

    /// <summary>The same Service as the hub model (for the simulated members, which report without a member API server).</summary>
    public static ExportedService ExportedService(int i) => new("ClusterIP", ClusterIp(i), [new ServicePort("http", "TCP", Port, Port)]);

    /// <summary>The status condition of a stored ServiceExport with this type, as (status, reason); nulls when it has none.</summary>
    public static (string? Status, string? Reason) Condition(JsonObject export, string type)
    {
        if (export["status"]?["conditions"] is not JsonArray conditions) return (null, null);
        foreach (var c in conditions)
            if (c?["type"]?.GetValue<string>() == type)
                return (c["status"]?.GetValue<string>(), c["reason"]?.GetValue<string>());
        return (null, null);
    }

    public static bool IsValid(JsonObject export) => Condition(export, ConditionTypes.Valid).Status == ConditionStatuses.True;
}
