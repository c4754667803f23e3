using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>
/// What <c>GET /subscriptions/{s}/providers/Microsoft.Network</c> answers: the registered resource types with
/// their api-versions, newest first. An SDK without a pinned version takes the first one listed for a type,
/// child types included (loadBalancers/backendAddressPools).
/// </summary>
internal static class ProviderRegistration
{
    private static readonly string[] Types =
    [
        "loadBalancers", "publicIPAddresses", "virtualNetworks", "loadBalancers/backendAddressPools",
        "loadBalancers/frontendIPConfigurations", "loadBalancers/probes", "loadBalancers/loadBalancingRules",
        "virtualNetworks/subnets", "locations", "locations/operations", "locations/operationResults",
    ];

    public static JsonObject Json(FakeArmOptions options) => new()
    {
        ["id"] = $"/subscriptions/{options.SubscriptionId}/providers/{ArmRoute.Namespace}",
        ["namespace"] = ArmRoute.Namespace,
        ["registrationState"] = "Registered",
        ["registrationPolicy"] = "RegistrationRequired",
        ["resourceTypes"] = new JsonArray(Types.Select(type => (JsonNode?)new JsonObject
        {
            ["resourceType"] = type,
            ["locations"] = new JsonArray(options.Location),
            ["apiVersions"] = new JsonArray(options.ApiVersions.Select(v => (JsonNode?)v).ToArray()),
            ["defaultApiVersion"] = options.ApiVersions[0],
            ["capabilities"] = "None",
        }).ToArray()),
    };

    public static JsonObject Subscription(FakeArmOptions options) => new()
    {
        ["id"] = $"/subscriptions/{options.SubscriptionId}",
        ["subscriptionId"] = options.SubscriptionId,
        ["displayName"] = "FleetL4 fake subscription",
        ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject { ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "Internal_2014-09-01", ["spendingLimit"] = "Off" },
    };
}
