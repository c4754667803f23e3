using System.Net;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>
/// Public IP addresses: Standard and Static only; addresses from the documentation ranges (203.0.113.0/24, then
/// 198.51.100.0/24; IPv6 from 2001:db8::/64), so nothing a test does can reach a real host through them.
/// </summary>
internal sealed class PublicIpAddresses(ResourceStore store)
{
    private readonly AddressRange[] _ipv4 =
        [new(IPAddress.Parse("203.0.113.1"), 254), new(IPAddress.Parse("198.51.100.1"), 254)];

    private readonly AddressRange[] _ipv6 = [new(IPAddress.Parse("2001:db8::1"), 65_535)];

    /// <summary>The resource a PUT asks for, and the address it holds (kept on update, new on create).</summary>
    public (JsonObject Json, string Address) Normalize(ArmRoute route, JsonObject body, StoredResource? existing)
    {
        var json = ResourceShape.TopLevel(route, body, existing);
        json["sku"] = ResourceShape.StandardSku(body, "public IP addresses");
        var properties = Json.Object(body, "properties", "")?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var readOnly in new[] { "provisioningState", "ipAddress", "ipConfiguration", "resourceGuid" }) properties.Remove(readOnly);

        var method = Json.Enum(properties, "publicIPAllocationMethod", "properties", "Dynamic", "Static", "Dynamic");
        if (method != "Static")
            throw ArmException.BadRequest(ArmErrorCodes.StandardSkuPublicIPAddressesMustBeStatic,
                $"Standard sku publicIp {json["id"]} must have AllocationMethod set to Static (property 'properties.publicIPAllocationMethod').");
        var version = Json.Enum(properties, "publicIPAddressVersion", "properties", "IPv4", "IPv4", "IPv6");
        var idle = Json.Int(properties, "idleTimeoutInMinutes", "properties") ?? 4;
        if (idle is < 4 or > 30)
            throw ArmException.BadRequest(ArmErrorCodes.ValueOutOfRange,
                $"Public IP address {json["id"]} has invalid Idle Timeout {idle} (property 'properties.idleTimeoutInMinutes'). The value must be between 4 and 30.");
        properties["publicIPAllocationMethod"] = method;
        properties["publicIPAddressVersion"] = version;
        properties["idleTimeoutInMinutes"] = idle;
        properties["ipTags"] ??= new JsonArray();

        string address;
        if (existing?.Address is { } kept)
        {
            var was = existing.Properties["publicIPAddressVersion"]!.GetValue<string>();
            if (was != version)
                throw ArmException.BadRequest(ArmErrorCodes.PublicIPAddressVersionCannotBeChanged,
                    $"Public IP address {existing.Id} is {was}; property 'properties.publicIPAddressVersion' cannot be changed to {version}.");
            address = kept;
            properties["resourceGuid"] = existing.Properties["resourceGuid"]!.DeepClone();
            if (existing.Properties["ipAddress"] is { } shown) properties["ipAddress"] = shown.DeepClone();
        }
        else
        {
            address = Allocate(version == "IPv6" ? _ipv6 : _ipv4)
                ?? throw ArmException.BadRequest(ArmErrorCodes.PublicIPCountLimitReached,
                    $"Cannot create more than {(version == "IPv6" ? 65_535 : 508)} {version} public IP addresses for this subscription in this region.");
            properties["resourceGuid"] = Guid.NewGuid().ToString();
        }
        if (UsedBy(json["id"]!.GetValue<string>()) is { } frontend) properties["ipConfiguration"] = Json.Reference(frontend);
        json["properties"] = properties;
        return (json, address);
    }

    /// <summary>The frontend IP configuration that uses a public IP, if any (ARM shows it as <c>ipConfiguration</c>).</summary>
    public string? UsedBy(string publicIpId) =>
        store.OfType(ArmRoute.LoadBalancers)
            .SelectMany(lb => lb.Children("frontendIPConfigurations"))
            .FirstOrDefault(f => Json.SameId(f["properties"]?["publicIPAddress"]?["id"]?.GetValue<string>(), publicIpId))?["id"]?.GetValue<string>();

    /// <summary>After a load balancer write: every public IP shows the frontend that uses it now.</summary>
    public void Relink()
    {
        foreach (var ip in store.OfType(ArmRoute.PublicIPAddresses))
        {
            if (UsedBy(ip.Id) is { } frontend) ip.Properties["ipConfiguration"] = Json.Reference(frontend);
            else ip.Properties.Remove("ipConfiguration");
        }
    }

    private string? Allocate(AddressRange[] ranges)
    {
        var used = store.OfType(ArmRoute.PublicIPAddresses).Select(r => r.Address).OfType<string>().ToHashSet();
        return ranges.Select(r => r.Allocate(a => used.Contains(a.ToString()))).FirstOrDefault(a => a is not null)?.ToString();
    }
}
