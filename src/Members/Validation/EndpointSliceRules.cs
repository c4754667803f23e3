using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>
/// A discovery.k8s.io/v1 EndpointSlice as Kubernetes validates it, for the fields the translation reads:
/// addressType, each endpoint's addresses (1-100, valid for the type), conditions and zone, and the ports.
/// </summary>
internal static class EndpointSliceRules
{
    public const int MaxEndpoints = 1000;
    public const int MaxAddresses = 100;
    public const int MaxPorts = 100;
    private static readonly string[] AddressTypes = ["IPv4", "IPv6", "FQDN"];
    private static readonly string[] Conditions = ["ready", "serving", "terminating"];

    public static void Validate(JsonObject root)
    {
        var type = JsonField.String(root, "addressType", "addressType") ?? throw new FleetValidationException("addressType", $"is required (one of {string.Join(", ", AddressTypes)})");
        if (!AddressTypes.Contains(type))
            throw new FleetValidationException("addressType", $"{NameRules.Quote(type)} is not one of {string.Join(", ", AddressTypes)}");
        var endpoints = JsonField.Array(root, "endpoints", "endpoints") ?? [];
        if (endpoints.Count > MaxEndpoints)
            throw new FleetValidationException("endpoints", $"{endpoints.Count} endpoints; at most {MaxEndpoints} are allowed in one EndpointSlice");
        for (var i = 0; i < endpoints.Count; i++) Endpoint(JsonField.ObjectItem(endpoints[i], $"endpoints[{i}]"), $"endpoints[{i}]", type);
        var ports = JsonField.Array(root, "ports", "ports") ?? [];
        if (ports.Count > MaxPorts)
            throw new FleetValidationException("ports", $"{ports.Count} ports; at most {MaxPorts} are allowed in one EndpointSlice");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"ports[{i}]";
            var port = JsonField.ObjectItem(ports[i], path);
            PortRules.Name(port, $"{path}.name", names);
            PortRules.Protocol(port, $"{path}.protocol");
            PortRules.Number(port, "port", $"{path}.port", required: false);
            PortRules.AppProtocol(port, $"{path}.appProtocol");
        }
    }

    private static void Endpoint(JsonObject endpoint, string path, string type)
    {
        var addresses = JsonField.Array(endpoint, "addresses", $"{path}.addresses");
        if (addresses is null || addresses.Count == 0)
            throw new FleetValidationException($"{path}.addresses", "must hold at least one address (an endpoint without one has no backend)");
        if (addresses.Count > MaxAddresses)
            throw new FleetValidationException($"{path}.addresses", $"{addresses.Count} addresses; at most {MaxAddresses} are allowed");
        for (var j = 0; j < addresses.Count; j++)
        {
            var at = $"{path}.addresses[{j}]";
            var address = JsonField.StringItem(addresses[j], at);
            var valid = type switch
            {
                "IPv4" => IpAddressRules.IsIPv4(address),
                "IPv6" => IpAddressRules.IsIPv6(address),
                _ => NameRules.IsDns1123Subdomain(address),
            };
            if (!valid) throw new FleetValidationException(at, $"{NameRules.Quote(address)} is not an {(type == "FQDN" ? "FQDN (DNS-1123 subdomain)" : type + " address")}");
        }
        if (JsonField.Object(endpoint, "conditions", $"{path}.conditions") is { } conditions)
            foreach (var condition in Conditions) JsonField.Bool(conditions, condition, $"{path}.conditions.{condition}");
        if (JsonField.String(endpoint, "zone", $"{path}.zone") is { } zone) LabelRules.RequireValue($"{path}.zone", zone);
        if (JsonField.String(endpoint, "hostname", $"{path}.hostname") is { } hostname) NameRules.RequireDns1123Label($"{path}.hostname", hostname);
        if (JsonField.String(endpoint, "nodeName", $"{path}.nodeName") is { } node) NameRules.RequireDns1123Subdomain($"{path}.nodeName", node);
    }
}
