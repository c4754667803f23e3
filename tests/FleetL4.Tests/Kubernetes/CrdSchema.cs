using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FleetL4.Members;
using FleetL4.Tests.Cli;

namespace FleetL4.Tests.Kubernetes;

/// <summary>
/// Our CRDs (deploy/crds) read as the API server would use them to check an object: the structural schema of the
/// version an object's apiVersion names. <see cref="Check"/> lists what the API server would prune or refuse: keys
/// the schema does not define, wrong types, enums, patterns, lengths, ranges and missing required keys.
/// </summary>
public static class CrdSchema
{
    /// <summary>Every CRD by its plural.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Crds { get; } = Load();

    private static Dictionary<string, JsonObject> Load()
    {
        var result = new Dictionary<string, JsonObject>();
        foreach (var file in Directory.GetFiles(Path.Combine(CliRunner.RepoRoot(), "deploy", "crds"), "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal)))
            foreach (var o in ManifestReader.Read(File.ReadAllText(file), file))
            {
                var crd = JsonNode.Parse(o.Json)!.AsObject();
                result[crd["spec"]!["names"]!["plural"]!.GetValue<string>()] = crd;
            }
        return result;
    }

    /// <summary>Each CRD's printer columns (name, JSONPath) by plural, for a fake API server's tables; a CRD without
    /// any gets NAME and AGE, as from the API server.</summary>
    public static IEnumerable<(string Plural, IReadOnlyList<(string Name, string JsonPath)> Columns)> PrinterColumns() =>
        Crds.Select(kv => (kv.Key, (IReadOnlyList<(string, string)>)(kv.Value["spec"]!["versions"]![0]!["additionalPrinterColumns"]?.AsArray()
            .Select(c => (c!["name"]!.GetValue<string>(), c["jsonPath"]!.GetValue<string>())).ToList()
            ?? [("Age", ".metadata.creationTimestamp")])));

    /// <summary>The version entry (spec.versions[]) of a CRD.</summary>
    public static JsonObject Version(string plural, string version) =>
        Crds[plural]["spec"]!["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == version)!.AsObject();

    /// <summary>What is wrong with <paramref name="o"/> for the CRD of its kind and version; empty when nothing.</summary>
    public static IReadOnlyList<string> Check(JsonObject o)
    {
        var kind = o["kind"]!.GetValue<string>();
        var apiVersion = o["apiVersion"]!.GetValue<string>();
        var crd = Crds.Values.Single(c => c["spec"]!["names"]!["kind"]!.GetValue<string>() == kind);
        var version = crd["spec"]!["versions"]!.AsArray().Single(v => $"{crd["spec"]!["group"]}/{v!["name"]}" == apiVersion)!;
        var errors = new List<string>();
        Check(version["schema"]!["openAPIV3Schema"]!.AsObject(), o, "", errors);
        return errors;
    }

    // A number however it was built (JsonNode.Parse, or an int or long put in by code).
    private static double? Number(JsonNode? n) => n is null ? null : double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture);

    private static void Check(JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        if (value is null) { errors.Add($"{path}: null (an optional field is left out, not null)"); return; }
        if (schema["anyOf"] is JsonArray anyOf)
        {
            var options = anyOf.Select(a => { var e = new List<string>(); Check(a!.AsObject(), value, path, e); return e; }).ToList();
            if (options.All(e => e.Count > 0)) errors.Add($"{path}: matches none of anyOf");
            return;
        }
        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        var typeOk = type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "integer" => kind == JsonValueKind.Number && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!typeOk) { errors.Add($"{path}: {kind}, the schema says {type}"); return; }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
            errors.Add($"{path}: {value.ToJsonString()} is not one of {values.ToJsonString()}");
        switch (value)
        {
            case JsonObject obj:
                foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                    if (!obj.ContainsKey(required)) errors.Add($"{path}.{required}: required");
                if (schema["properties"] is not JsonObject properties) return; // free-form (metadata)
                foreach (var (key, child) in obj)
                {
                    if (properties[key] is JsonObject childSchema) Check(childSchema, child, $"{path}.{key}", errors);
                    else errors.Add($"{path}.{key}: not a field of the CRD");
                }
                break;
            case JsonArray array:
                if (Number(schema["maxItems"]) is { } maxItems && array.Count > maxItems) errors.Add($"{path}: more than {maxItems} items");
                for (var i = 0; i < array.Count; i++) Check(schema["items"]!.AsObject(), array[i], $"{path}[{i}]", errors);
                break;
            case JsonValue v when kind == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (Number(schema["maxLength"]) is { } max && text.Length > max) errors.Add($"{path}: longer than {max}");
                if (Number(schema["minLength"]) is { } min && text.Length < min) errors.Add($"{path}: shorter than {min}");
                if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern)) errors.Add($"{path}: \"{text}\" does not match {pattern}");
                if (schema["format"]?.GetValue<string>() == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out _)) errors.Add($"{path}: not a date-time");
                break;
            case JsonValue v when kind == JsonValueKind.Number:
                var number = Number(v)!.Value;
                if (Number(schema["minimum"]) is { } lo && number < lo) errors.Add($"{path}: below {lo}");
                if (Number(schema["maximum"]) is { } hi && number > hi) errors.Add($"{path}: above {hi}");
                break;
        }
    }
}
