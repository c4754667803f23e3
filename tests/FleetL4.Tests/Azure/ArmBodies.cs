using System.Text.Json.Nodes;
using FleetL4.FakeArm;

namespace FleetL4.Tests.Azure;

/// <summary>Request bodies in Microsoft.Network 2024-05-01's shape, for driving the fake ARM.</summary>
internal static class ArmBodies
{
    public const string ApiVersion = "2024-05-01";

    public static JsonObject PublicIp(FakeArmServer arm, string sku = "Standard", string allocation = "Static", string version = "IPv4") => new()
    {
        ["location"] = arm.Location,
        ["sku"] = new JsonObject { ["name"] = sku, ["tier"] = "Regional" },
        ["properties"] = new JsonObject { ["publicIPAllocationMethod"] = allocation, ["publicIPAddressVersion"] = version },
    };

    /// <summary>A public load balancer: frontend "fe" on the public IP, pool "pool", TCP probe on 8080, a rule 80 -> 8080.</summary>
    public static JsonObject LoadBalancer(FakeArmServer arm, string name, string publicIpId, string sku = "Standard", int frontendPort = 80, string? probeId = null)
    {
        var id = arm.LoadBalancerId(name);
        return new JsonObject
        {
            ["location"] = arm.Location,
            ["sku"] = new JsonObject { ["name"] = sku },
            ["tags"] = new JsonObject { ["fleetl4.io/owner"] = "kuard-demo/kuard" },
            ["properties"] = new JsonObject
            {
                ["frontendIPConfigurations"] = new JsonArray(Named("fe", new JsonObject { ["publicIPAddress"] = Ref(publicIpId) })),
                ["backendAddressPools"] = new JsonArray(Pool(arm, "pool")),
                ["probes"] = new JsonArray(Named("probe", new JsonObject { ["protocol"] = "Tcp", ["port"] = 8080, ["intervalInSeconds"] = 5 })),
                ["loadBalancingRules"] = new JsonArray(Named("rule", new JsonObject
                {
                    ["protocol"] = "Tcp",
                    ["frontendPort"] = frontendPort,
                    ["backendPort"] = 8080,
                    ["enableTcpReset"] = true,
                    ["frontendIPConfiguration"] = Ref($"{id}/frontendIPConfigurations/fe"),
                    ["backendAddressPool"] = Ref($"{id}/backendAddressPools/pool"),
                    ["probe"] = Ref(probeId ?? $"{id}/probes/probe"),
                })),
            },
        };
    }

    /// <summary>An IP-based pool: each address named after its IP, in the fake's virtual network.</summary>
    public static JsonObject Pool(FakeArmServer arm, string name, params IEnumerable<string> ips) => Named(name, new JsonObject
    {
        ["loadBalancerBackendAddresses"] = new JsonArray(ips.Select(ip => (JsonNode?)Named(ip.Replace(':', '-'), new JsonObject
        {
            ["ipAddress"] = ip,
            ["virtualNetwork"] = Ref(arm.VirtualNetworkId),
        })).ToArray()),
    });

    public static IEnumerable<string> PodIps(int count) => Enumerable.Range(0, count).Select(i => $"10.224.{i / 250}.{i % 250 + 4}");

    public static JsonObject Named(string name, JsonObject properties) => new() { ["name"] = name, ["properties"] = properties };

    public static JsonObject Ref(string id) => new() { ["id"] = id };

    /// <summary>The first item of a child collection of a resource (properties.{collection}[0].properties).</summary>
    public static JsonObject First(JsonObject resource, string collection) => resource["properties"]![collection]![0]!["properties"]!.AsObject();
}
