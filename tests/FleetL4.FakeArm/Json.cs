using System.Text.Json;
using System.Text.Json.Nodes;

namespace FleetL4.FakeArm;

/// <summary>Reads request bodies the way NRP does: a value of the wrong JSON kind is a 400 naming its path.</summary>
internal static class Json
{
    public static JsonObject? Object(JsonObject? parent, string name, string where)
    {
        var node = parent?[name];
        if (node is null) return null;
        return node as JsonObject ?? throw Wrong(where, name, "an object");
    }

    public static IReadOnlyList<JsonObject> Array(JsonObject? parent, string name, string where)
    {
        var node = parent?[name];
        if (node is null) return [];
        if (node is not JsonArray array) throw Wrong(where, name, "an array");
        return array.Select((item, i) => item as JsonObject ?? throw Wrong(where, $"{name}[{i}]", "an object")).ToList();
    }

    public static string? String(JsonObject? parent, string name, string where)
    {
        var node = parent?[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw Wrong(where, name, "a string");
    }

    public static int? Int(JsonObject? parent, string name, string where)
    {
        var node = parent?[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
        if (node is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
        throw Wrong(where, name, "an integer");
    }

    public static bool? Bool(JsonObject? parent, string name, string where)
    {
        var node = parent?[name];
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw Wrong(where, name, "true or false");
    }

    /// <summary>The <c>id</c> of a reference property such as <c>publicIPAddress: {id}</c>.</summary>
    public static string? ReferenceId(JsonObject? parent, string name, string where) =>
        String(Object(parent, name, where), "id", $"{where}.{name}");

    /// <summary>One of <paramref name="allowed"/>, compared without case and answered in ARM's spelling.</summary>
    public static string Enum(JsonObject? parent, string name, string where, string? fallback, params string[] allowed)
    {
        var value = String(parent, name, where) ?? fallback
            ?? throw ArmException.BadRequest(ArmErrorCodes.MissingRequiredProperty, $"Property '{where}.{name}' is required.");
        return allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw ArmException.BadRequest(ArmErrorCodes.InvalidEnumValue,
                $"Value '{value}' of property '{where}.{name}' is not valid. Allowed values: {string.Join(", ", allowed)}.");
    }

    public static string Required(string? value, string where, string name) =>
        string.IsNullOrEmpty(value)
            ? throw ArmException.BadRequest(ArmErrorCodes.MissingRequiredProperty, $"Property '{where}.{name}' is required.")
            : value;

    public static JsonObject Reference(string id) => new() { ["id"] = id };

    public static bool SameId(string? a, string? b) => a is not null && b is not null && a.Equals(b, StringComparison.OrdinalIgnoreCase);

    private static ArmException Wrong(string where, string name, string kind) =>
        ArmException.BadRequest(ArmErrorCodes.InvalidRequestContent, $"The request content was invalid: '{where}.{name}' must be {kind}.");
}
