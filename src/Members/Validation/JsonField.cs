using System.Text.Json;
using System.Text.Json.Nodes;
using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>
/// Typed reads of one field of a manifest's JSON. Absent and null are the same (as for Kubernetes' optional
/// fields); a value of the wrong type is refused naming the field's path, never read as absent or coerced:
/// <c>namespace: 123</c> is an error, not the default namespace.
/// </summary>
internal static class JsonField
{
    // A key given twice is an error (which of the two would be stored?), as in Kubernetes' strict decoding.
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };

    /// <summary>An object's JSON as a mapping; anything else is refused naming "object".</summary>
    public static JsonObject Root(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: ParseOptions) as JsonObject ?? throw new FleetValidationException("object", "is not a mapping (a Kubernetes object)");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException) // bad JSON, or a key given twice
        {
            throw new FleetValidationException("object", $"is not valid JSON: {ex.Message}");
        }
    }

    public static JsonObject? Object(JsonObject parent, string key, string path) => Read(parent, key, path, JsonValueKind.Object)?.AsObject();

    public static JsonArray? Array(JsonObject parent, string key, string path) => Read(parent, key, path, JsonValueKind.Array)?.AsArray();

    public static string? String(JsonObject parent, string key, string path) => Read(parent, key, path, JsonValueKind.String)?.GetValue<string>();

    public static bool? Bool(JsonObject parent, string key, string path) => Read(parent, key, path, JsonValueKind.True, JsonValueKind.False)?.GetValue<bool>();

    /// <summary>An integer (8080; not 8080.5, 1e3 or "8080"), as Kubernetes' int32 fields take it.</summary>
    public static long? Integer(JsonObject parent, string key, string path) =>
        Read(parent, key, path, JsonValueKind.Number) is { } node ? Integer(node, path) : null;

    public static long Integer(JsonNode node, string path) =>
        node.AsValue().TryGetValue<long>(out var n) ? n : throw new FleetValidationException(path, $"{node.ToJsonString()} is not an integer");

    /// <summary>A required item of a list, of one type.</summary>
    public static JsonObject ObjectItem(JsonNode? item, string path) => item is JsonObject o ? o : throw WrongType(path, item, JsonValueKind.Object);

    public static string StringItem(JsonNode? item, string path) =>
        item is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw WrongType(path, item, JsonValueKind.String);

    /// <summary>A map of strings (labels, annotations); null when absent.</summary>
    public static IReadOnlyDictionary<string, string>? StringMap(JsonObject parent, string key, string path)
    {
        if (Object(parent, key, path) is not { } map) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map) result[k] = StringItem(v, $"{path}[{k}]");
        return result;
    }

    /// <summary>Refuses a key outside <paramref name="keys"/>, for objects whose every field is known (a typo
    /// there would silently widen what the object means, as <c>matchLabel:</c> selecting everything).</summary>
    public static void RequireOnly(JsonObject node, string path, params string[] keys)
    {
        foreach (var (key, _) in node)
            if (!keys.Contains(key))
                throw new FleetValidationException($"{path}.{Domain.NameRules.Display(key)}", $"is not a field here; allowed: {string.Join(", ", keys)}");
    }

    public static FleetValidationException WrongType(string path, JsonNode? node, params JsonValueKind[] wanted) =>
        new(path, $"must be {Describe(wanted[0])}, not {Describe(node?.GetValueKind() ?? JsonValueKind.Null)}");

    private static JsonNode? Read(JsonObject parent, string key, string path, params JsonValueKind[] wanted)
    {
        var node = parent[key];
        if (node is null) return null;
        return wanted.Contains(node.GetValueKind()) ? node : throw WrongType(path, node, wanted);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
