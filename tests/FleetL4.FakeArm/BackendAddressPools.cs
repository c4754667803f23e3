using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>
/// IP-based backend pools: <c>loadBalancerBackendAddresses[] {name, properties {ipAddress, virtualNetwork {id}}}</c>,
/// every address in the configured virtual network, at most <see cref="FakeArmOptions.MaxAddressesPerPool"/> of them.
/// </summary>
internal static class BackendAddressPools
{
    public const string Collection = ArmRoute.BackendAddressPools;
    public const string Addresses = "loadBalancerBackendAddresses";

    public static JsonObject Normalize(string loadBalancerId, JsonObject item, string where, FakeArmOptions options, VirtualNetwork network)
    {
        var pool = ResourceShape.Child(loadBalancerId, Collection, item, where);
        var id = pool["id"]!.GetValue<string>();
        var properties = ResourceShape.Properties(pool);
        var addresses = Json.Array(properties, Addresses, $"{where}.properties");
        if (addresses.Count > options.MaxAddressesPerPool)
            throw ArmException.BadRequest(ArmErrorCodes.MaxBackendAddressesPerPoolReached,
                $"Backend address pool {id} has {addresses.Count} addresses in '{where}.properties.{Addresses}'; a pool holds at most {options.MaxAddressesPerPool}.");

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ips = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var normalized = new JsonArray();
        for (var i = 0; i < addresses.Count; i++)
        {
            var at = $"{where}.properties.{Addresses}[{i}]";
            var name = Json.Required(Json.String(addresses[i], "name", at), at, "name");
            if (!names.Add(name))
                throw ArmException.BadRequest(ArmErrorCodes.InvalidResourceName, $"Backend address pool {id} has two addresses named '{name}' ({at}.name).");
            var address = Json.Object(addresses[i], "properties", at)?.DeepClone().AsObject()
                ?? throw ArmException.BadRequest(ArmErrorCodes.MissingRequiredProperty, $"Property '{at}.properties' is required.");
            var text = Json.Required(Json.String(address, "ipAddress", $"{at}.properties"), $"{at}.properties", "ipAddress");
            var ip = ParseIp(text)
                ?? throw ArmException.BadRequest(ArmErrorCodes.InvalidIPAddress, $"'{text}' ({at}.properties.ipAddress) is not a valid IP address.");
            if (!ips.Add(ip.ToString()))
                throw ArmException.BadRequest(ArmErrorCodes.InvalidIPAddress, $"Backend address pool {id} holds {ip} twice ({at}.properties.ipAddress).");
            var vnet = Json.ReferenceId(address, "virtualNetwork", $"{at}.properties");
            if (vnet is null)
                throw ArmException.BadRequest(ArmErrorCodes.MissingRequiredProperty, $"Property '{at}.properties.virtualNetwork.id' is required for an IP-based backend address.");
            if (!Json.SameId(vnet, network.Id))
                throw ArmException.BadRequest(ArmErrorCodes.BackendAddressNotInVirtualNetwork,
                    $"Backend address {ip} ({at}.properties.virtualNetwork.id) references virtual network {vnet}; this load balancer's backends are in {network.Id}.");
            address["ipAddress"] = ip.ToString();
            address["virtualNetwork"] = Json.Reference(network.Id);
            normalized.Add(new JsonObject { ["name"] = name, ["properties"] = address });
        }
        properties[Addresses] = normalized;
        return pool;
    }

    /// <summary>IPv4 in dotted-quad form only: <see cref="IPAddress.TryParse(string, out IPAddress)"/> would take "10.1" too.</summary>
    public static IPAddress? ParseIp(string text)
    {
        if (!IPAddress.TryParse(text, out var ip)) return null;
        if (ip.AddressFamily == AddressFamily.InterNetwork && text.Split('.').Length != 4) return null;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.ScopeId != 0) return null;
        return ip;
    }
}
