using System.Globalization;
using System.Text.Json.Nodes;

namespace FleetL4.LoadBalancing.Azure.Model;

/// <summary>Microsoft.Network/loadBalancers (2024-05-01) JSON to and from <see cref="LoadBalancerModel"/>.</summary>
public static class ArmLoadBalancerJson
{
    public static LoadBalancerModel Parse(JsonObject lb)
    {
        var model = new LoadBalancerModel();
        var props = lb["properties"] as JsonObject;
        foreach (var f in Items(props, "frontendIPConfigurations"))
        {
            var p = f["properties"];
            var name = Text(f, "name");
            model.Frontends[name] = new FrontendModel(name, p?["publicIPAddress"]?["id"]?.GetValue<string>(),
                p?["subnet"]?["id"]?.GetValue<string>(), p?["privateIPAddress"]?.GetValue<string>());
        }
        foreach (var pool in Items(props, "backendAddressPools"))
            model.Pools[Text(pool, "name")] = PoolAddresses(pool);
        foreach (var probe in Items(props, "probes"))
        {
            var p = probe["properties"]!;
            var name = Text(probe, "name");
            model.Probes[name] = new ProbeModel(name, p["protocol"]!.GetValue<string>(), Int(p, "port"),
                Int(p, "intervalInSeconds", 5), Int(p, "probeThreshold", 1));
        }
        foreach (var rule in Items(props, "loadBalancingRules"))
        {
            var p = rule["properties"]!;
            var name = Text(rule, "name");
            model.Rules[name] = new RuleModel(name, p["protocol"]!.GetValue<string>(), Int(p, "frontendPort"), Int(p, "backendPort"),
                ArmIds.NameOf(p["frontendIPConfiguration"]?["id"]?.GetValue<string>() ?? ""),
                ArmIds.NameOf(p["backendAddressPool"]?["id"]?.GetValue<string>() ?? ""),
                p["probe"]?["id"]?.GetValue<string>() is { } probeId ? ArmIds.NameOf(probeId) : null,
                p["loadDistribution"]?.GetValue<string>() ?? "Default",
                p["enableTcpReset"]?.GetValue<bool>() ?? false, p["disableOutboundSnat"]?.GetValue<bool>() ?? false,
                Int(p, "idleTimeoutInMinutes", 4));
        }
        return model;
    }

    /// <summary>The addresses of one backendAddressPools entry (or of a pool sub-resource).</summary>
    public static SortedSet<string> PoolAddresses(JsonNode pool) =>
        new(Items(pool["properties"] as JsonObject, "loadBalancerBackendAddresses")
            .Select(a => a["properties"]?["ipAddress"]?.GetValue<string>()).OfType<string>(), StringComparer.Ordinal);

    /// <summary>The body of a whole-LB PUT. It carries every pool: a PUT without a pool removes it.</summary>
    public static JsonObject Render(LoadBalancerModel model, AzureOptions o, string lbName, IReadOnlyDictionary<string, string>? tags = null)
    {
        var lbId = ArmIds.LoadBalancer(o, lbName);
        return new JsonObject
        {
            ["location"] = o.Location,
            ["sku"] = new JsonObject { ["name"] = "Standard", ["tier"] = "Regional" },
            ["tags"] = new JsonObject((tags ?? new Dictionary<string, string>()).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["properties"] = new JsonObject
            {
                ["frontendIPConfigurations"] = Array(model.Frontends.Values.Select(f => new JsonObject
                {
                    ["name"] = f.Name,
                    ["properties"] = f.PublicIpId is not null
                        ? new JsonObject { ["publicIPAddress"] = Ref(f.PublicIpId) }
                        : new JsonObject
                        {
                            ["subnet"] = Ref(f.SubnetId ?? ""),
                            ["privateIPAllocationMethod"] = f.PrivateIp is null ? "Dynamic" : "Static",
                            ["privateIPAddress"] = f.PrivateIp,
                        },
                })),
                ["backendAddressPools"] = Array(model.Pools.Select(p => RenderPool(p.Key, p.Value, o))),
                ["probes"] = Array(model.Probes.Values.Select(p => new JsonObject
                {
                    ["name"] = p.Name,
                    ["properties"] = new JsonObject
                    {
                        ["protocol"] = p.Protocol, ["port"] = p.Port, ["intervalInSeconds"] = p.IntervalSeconds, ["probeThreshold"] = p.Threshold,
                    },
                })),
                ["loadBalancingRules"] = Array(model.Rules.Values.Select(r =>
                {
                    var props = new JsonObject
                    {
                        ["protocol"] = r.Protocol,
                        ["frontendPort"] = r.FrontendPort,
                        ["backendPort"] = r.BackendPort,
                        ["frontendIPConfiguration"] = Ref($"{lbId}/frontendIPConfigurations/{r.Frontend}"),
                        ["backendAddressPool"] = Ref($"{lbId}/backendAddressPools/{r.Pool}"),
                        ["loadDistribution"] = r.LoadDistribution,
                        ["enableTcpReset"] = r.EnableTcpReset,
                        ["disableOutboundSnat"] = r.DisableOutboundSnat,
                        ["enableFloatingIP"] = false,
                        ["idleTimeoutInMinutes"] = r.IdleTimeoutMinutes,
                    };
                    if (r.Probe is not null) props["probe"] = Ref($"{lbId}/probes/{r.Probe}");
                    return new JsonObject { ["name"] = r.Name, ["properties"] = props };
                })),
            },
        };
    }

    /// <summary>An IP-based pool: each address references the VNet the pods are in.</summary>
    public static JsonObject RenderPool(string name, IEnumerable<string> addresses, AzureOptions o) => new()
    {
        ["name"] = name,
        ["properties"] = new JsonObject
        {
            ["loadBalancerBackendAddresses"] = Array(addresses.Select(a => new JsonObject
            {
                ["name"] = "ip-" + a.Replace('.', '-').Replace(':', '-'),
                ["properties"] = new JsonObject { ["ipAddress"] = a, ["virtualNetwork"] = Ref(o.VirtualNetworkId!) },
            })),
        },
    };

    private static JsonObject Ref(string id) => new() { ["id"] = id };

    private static JsonArray Array(IEnumerable<JsonObject> items) => new(items.Select(i => (JsonNode?)i).ToArray());

    private static IEnumerable<JsonNode> Items(JsonObject? props, string key) =>
        props?[key] is JsonArray a ? a.OfType<JsonNode>() : [];

    private static string Text(JsonNode n, string key) => n[key]?.GetValue<string>() ?? "";

    private static int Int(JsonNode n, string key, int fallback = 0) =>
        n[key] is JsonValue v ? (v.TryGetValue<int>(out var i) ? i : int.Parse(v.ToString(), CultureInfo.InvariantCulture)) : fallback;
}
