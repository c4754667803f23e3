using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace FleetL4.Client.Cli;

/// <summary>Prints JSON objects as YAML (through plain dictionaries, so YamlDotNet needs no type knowledge).</summary>
public static class YamlOutput
{
    private static readonly ISerializer Serializer = new SerializerBuilder().Build();

    public static string Write(JsonNode node) => Serializer.Serialize(Plain(node));

    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => Plain(kv.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
