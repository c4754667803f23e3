using System.Text.Json.Nodes;

namespace FleetL4.Tests.Cli;

/// <summary>Exact comparison of JSON documents: the same keys at every level and the same values, except where the
/// expected value is <see cref="Any"/> (any non-empty string: times, generated names, messages checked elsewhere).</summary>
public static class JsonAssert
{
    public const string Any = "<any>";

    public static void Same(string expected, JsonNode? actual) => Same(JsonNode.Parse(expected), actual);

    public static void Same(JsonNode? expected, JsonNode? actual)
    {
        if (Difference(expected, actual, "$") is { } difference)
            Assert.Fail($"{difference}\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}");
    }

    private static string? Difference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonValue v when v.TryGetValue<string>(out var s) && s == Any:
                return actual is JsonValue a && a.TryGetValue<string>(out var text) && text.Length > 0 ? null : $"{path}: expected a non-empty string, got {actual?.ToJsonString() ?? "nothing"}";
            case JsonObject e:
                if (actual is not JsonObject o) return $"{path}: expected an object, got {actual?.ToJsonString() ?? "nothing"}";
                var keys = e.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
                var actualKeys = o.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
                if (!keys.SequenceEqual(actualKeys)) return $"{path}: expected keys [{string.Join(", ", keys)}], got [{string.Join(", ", actualKeys)}]";
                return keys.Select(k => Difference(e[k], o[k], $"{path}.{k}")).FirstOrDefault(d => d is not null);
            case JsonArray e:
                if (actual is not JsonArray arr || arr.Count != e.Count) return $"{path}: expected {e.Count} items, got {actual?.ToJsonString() ?? "nothing"}";
                return e.Select((x, i) => Difference(x, arr[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null);
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "nothing"}";
        }
    }
}
