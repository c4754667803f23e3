using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FleetL4.FakeArm;

/// <summary>The parts every Microsoft.Network resource and child resource share: names, ids, types, location, sku.</summary>
internal static partial class ResourceShape
{
    /// <summary>The top-level fields of a resource, with its client-sent properties still to be checked.</summary>
    public static JsonObject TopLevel(ArmRoute route, JsonObject body, StoredResource? existing)
    {
        var name = existing?.Name ?? CheckName(route.Name!, "name");
        var json = new JsonObject
        {
            ["name"] = name,
            ["id"] = existing?.Id ?? route.ResourceId,
            ["etag"] = "",
            ["type"] = $"{ArmRoute.Namespace}/{route.Type}",
            ["location"] = Location(body, existing, route),
        };
        if (Json.Object(body, "tags", "") is { } tags) json["tags"] = tags.DeepClone();
        if (body["zones"] is JsonArray zones) json["zones"] = zones.DeepClone();
        return json;
    }

    /// <summary>A Standard, Regional sku: Basic load balancers and public IPs were retired on 30 September 2025.</summary>
    public static JsonObject StandardSku(JsonObject body, string what)
    {
        var sku = Json.Object(body, "sku", "");
        var name = Json.String(sku, "name", "sku") ?? "Basic";
        if (!name.Equals("Standard", StringComparison.OrdinalIgnoreCase))
            throw ArmException.BadRequest(ArmErrorCodes.UnsupportedSku,
                $"Sku '{name}' (property 'sku.name') is not supported for {what}: only 'Standard' is (a missing sku means Basic, which is retired).");
        var tier = Json.Enum(sku, "tier", "sku", "Regional", "Regional", "Global");
        if (tier != "Regional")
            throw ArmException.BadRequest(ArmErrorCodes.UnsupportedSku, $"Sku tier '{tier}' (property 'sku.tier') is not supported by this fake: use 'Regional'.");
        return new JsonObject { ["name"] = "Standard", ["tier"] = "Regional" };
    }

    /// <summary>
    /// A child resource (frontend, pool, probe, rule) as NRP stores it: id and type from its parent, and its
    /// properties without the read-only ones a client may echo back.
    /// </summary>
    public static JsonObject Child(string parentId, string collection, JsonObject item, string where)
    {
        var name = CheckName(Json.Required(Json.String(item, "name", where), where, "name"), $"{where}.name");
        var properties = Json.Object(item, "properties", where)?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var readOnly in ReadOnlyProperties) properties.Remove(readOnly);
        var parentType = ArmRoute.Parse(parentId)!.Type;
        var child = new JsonObject
        {
            ["name"] = name,
            ["id"] = $"{parentId}/{collection}/{name}",
            ["etag"] = "",
            ["type"] = $"{ArmRoute.Namespace}/{parentType}/{collection}",
            ["properties"] = properties,
        };
        if (item["zones"] is JsonArray zones) child["zones"] = zones.DeepClone();
        return child;
    }

    /// <summary>Rejects a second child of the same name in one collection (names compare without case).</summary>
    public static void CheckUnique(IEnumerable<JsonObject> children, string where)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in children)
        {
            var name = child["name"]!.GetValue<string>();
            if (!seen.Add(name))
                throw ArmException.BadRequest(ArmErrorCodes.InvalidResourceName, $"Two items of '{where}' are named '{name}'; names must be unique.");
        }
    }

    public static string Normalized(string location) => location.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    public static IEnumerable<JsonObject> Items(JsonObject resource, string collection) =>
        (resource["properties"]![collection] as JsonArray ?? []).OfType<JsonObject>();

    public static JsonObject Properties(JsonObject resource) => resource["properties"]!.AsObject();

    private static string Location(JsonObject body, StoredResource? existing, ArmRoute route)
    {
        var location = Normalized(Json.Required(Json.String(body, "location", ""), "", "location").Trim('.'));
        if (existing is not null && existing.Location != location)
            throw ArmException.BadRequest(ArmErrorCodes.InvalidResourceLocation,
                $"The resource '{existing.Name}' already exists in location '{existing.Location}' in resource group '{route.ResourceGroup}'. " +
                $"A resource with the same name cannot be created in location '{location}'. Please select a new resource name.");
        return location;
    }

    // ARM's rule for Microsoft.Network names: 1-80 characters, letters, digits, '.', '-', '_', starting with a
    // letter or digit and ending with a letter, digit or '_'.
    private static string CheckName(string name, string where) =>
        NameRule().IsMatch(name)
            ? name
            : throw ArmException.BadRequest(ArmErrorCodes.InvalidResourceName,
                $"Resource name '{name}' ({where}) is invalid. The name can be up to 80 characters long. It must begin with a word character, " +
                "and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.");

    private static readonly string[] ReadOnlyProperties =
        ["provisioningState", "loadBalancingRules", "inboundNatRules", "outboundRules", "backendIPConfigurations", "ipConfiguration"];

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$")]
    private static partial Regex NameRule();
}
