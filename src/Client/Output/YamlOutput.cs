using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace FleetL4.Client.Output;

/// <summary>Prints JSON objects as YAML (through plain dictionaries, so YamlDotNet needs no type knowledge).</summary>
public static class YamlOutput
{
    // Quote strings that would read back as something else ("True", timestamps, numbers).
    private static readonly ISerializer Serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    public static string Write(JsonNode node) => Serializer.Serialize(Plain(node));

    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => Plain(kv.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        // A JsonValue built from an int does not convert to long: read the number from its JSON text.
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => long.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var l)
            ? l
            : double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
