using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FleetL4.FakeKube;

/// <summary>The JSONPath forms CRD printer columns use here: .a.b, .a[0].b and .a[?(@.type=="X")].b.</summary>
public static partial class JsonPathLite
{
    public static string? Evaluate(JsonNode? node, string path)
    {
        foreach (Match m in Step().Matches(path))
        {
            if (node is null) return null;
            if (m.Groups["name"].Success) node = node is JsonObject o ? o[m.Groups["name"].Value] : null;
            else if (m.Groups["index"].Success) node = node is JsonArray a && int.Parse(m.Groups["index"].Value) < a.Count ? a[int.Parse(m.Groups["index"].Value)] : null;
            else node = node is JsonArray arr
                ? arr.FirstOrDefault(e => e?[m.Groups["field"].Value]?.GetValue<string>() == m.Groups["value"].Value)
                : null;
        }
        return node switch
        {
            null => null,
            JsonValue v => v.ToString(),
            _ => node.ToJsonString(),
        };
    }

    [GeneratedRegex("""\.(?<name>[A-Za-z0-9_-]+)|\[(?<index>\d+)\]|\[\?\(@\.(?<field>\w+)==["'](?<value>[^"']*)["']\)\]""")]
    private static partial Regex Step();
}
