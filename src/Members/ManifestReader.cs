using System.Globalization;
using System.Text.Json.Nodes;
using FleetL4.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FleetL4.Members;

/// <summary>
/// Reads multi-document YAML (or JSON) manifests into <see cref="ManifestObject"/>s. Plain scalars follow the
/// YAML 1.2 core schema (8080 is a number, true a boolean, quoted text always a string), as kubectl reads them.
/// Errors name the document and the field; nothing is returned from a file with any bad document.
/// </summary>
public static class ManifestReader
{
    public static IReadOnlyList<ManifestObject> Read(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FleetValidationException(source, $"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}");
        }
        var objects = new List<ManifestObject>();
        var index = 0;
        foreach (var document in stream.Documents)
        {
            index++;
            if (document.RootNode is YamlScalarNode { Value: null or "" }) continue; // empty document ("---" at the end)
            JsonNode? node;
            try
            {
                node = ToJson(document.RootNode);
            }
            catch (ArgumentException ex) // a key given twice in one mapping
            {
                throw new FleetValidationException($"{source} document {index}", ex.Message);
            }
            if (node is not JsonObject root)
                throw new FleetValidationException($"{source} document {index}", "is not a mapping (a Kubernetes object)");
            objects.Add(ToManifest(root, source, index));
        }
        if (objects.Count == 0) throw new FleetValidationException(source, "contains no objects");
        return objects;
    }

    private static ManifestObject ToManifest(JsonObject root, string source, int index)
    {
        var where = $"{source} document {index}";
        var apiVersion = Text(root, "apiVersion") ?? throw new FleetValidationException($"{where} apiVersion", "is required");
        var kind = Text(root, "kind") ?? throw new FleetValidationException($"{where} kind", "is required");
        if (root["metadata"] is not JsonObject metadata)
            throw new FleetValidationException($"{where} ({kind}) metadata", "is required");
        var name = Text(metadata, "name") ?? throw new FleetValidationException($"{where} ({kind}) metadata.name", "is required");
        var ns = Text(metadata, "namespace");
        return new ManifestObject(apiVersion, kind, ns, name, root.ToJsonString(), index);
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(kv.Key is YamlScalarNode key ? key.Value ?? "" : kv.Key.ToString(), ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && value.Any(char.IsDigit)
            && !value.Contains(':')) return JsonValue.Create(number);
        return JsonValue.Create(value);
    }
}
