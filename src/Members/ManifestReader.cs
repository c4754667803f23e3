using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using FleetL4.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace FleetL4.Members;

/// <summary>
/// Reads multi-document YAML (or JSON, which YAML includes) manifests into <see cref="ManifestObject"/>s, within
/// <see cref="ManifestLimits"/>: the input is bounded before it is decoded, decoded as strict UTF-8, and parsed as
/// an event stream (<see cref="YamlJsonBuilder"/>), never as a whole YAML tree. Errors name the document and the
/// field or limit; nothing is returned from a file with any bad document.
/// </summary>
public static class ManifestReader
{
    /// <summary>Reads a file or stdin, at most <see cref="ManifestLimits.MaxInputBytes"/> of it.</summary>
    public static async Task<IReadOnlyList<ManifestObject>> ReadAsync(Stream stream, string source, CancellationToken ct = default)
    {
        // One byte more than allowed tells "too large" apart from "exactly the limit" without trusting a length.
        var buffer = new byte[ManifestLimits.MaxInputBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        return Read(buffer.AsSpan(0, length), source);
    }

    public static IReadOnlyList<ManifestObject> Read(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length > ManifestLimits.MaxInputBytes) throw TooLarge(source);
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var chars = new char[bytes.Length]; // UTF-16 never needs more code units than UTF-8 has bytes
        if (Utf8.ToUtf16(bytes, chars, out var valid, out var written, replaceInvalidSequences: false) is not OperationStatus.Done)
        {
            var line = bytes[..valid].Count((byte)'\n') + 1;
            throw new FleetValidationException(source, $"is not valid UTF-8: byte 0x{bytes[valid]:X2} at offset {valid} (line {line})");
        }
        return Parse(new string(chars, 0, written), source);
    }

    public static IReadOnlyList<ManifestObject> Read(string text, string source) =>
        Encoding.UTF8.GetByteCount(text) > ManifestLimits.MaxInputBytes ? throw TooLarge(source) : Parse(text, source);

    private static FleetValidationException TooLarge(string source) =>
        new(source, $"is larger than {ManifestLimits.MaxInputBytes} bytes; at most 3 MiB are read (the Kubernetes API server's request limit)");

    private static IReadOnlyList<ManifestObject> Parse(string text, string source)
    {
        var parser = new Parser(new StringReader(text));
        var objects = new List<ManifestObject>();
        var index = 0;
        long total = 0;
        YamlJsonBuilder? document = null;
        var inDocument = false;
        var at = Mark.Empty;
        string Where() => $"{source} document {(inDocument ? index : index + 1)}";
        bool Next()
        {
            try
            {
                return parser.MoveNext();
            }
            catch (InvalidOperationException ex)
            {
                // YamlDotNet's scanner gives up on some malformed input with this instead of a YamlException.
                throw new FleetValidationException(Where(), $"invalid YAML after line {at.Line}, column {at.Column}: {ex.Message}");
            }
        }
        try
        {
            while (Next())
            {
                at = parser.Current!.End;
                switch (parser.Current)
                {
                    case DocumentStart:
                        inDocument = true;
                        if (++index > ManifestLimits.MaxDocuments)
                            throw new FleetValidationException(source, $"has more than {ManifestLimits.MaxDocuments} documents");
                        document = new YamlJsonBuilder($"{source} document {index}");
                        break;
                    case DocumentEnd:
                        inDocument = false;
                        // An empty document ("---" at the end, or a lone comment) holds no object.
                        if (document!.Root is null || document.Root is JsonValue v && v.TryGetValue<string>(out var empty) && empty.Length == 0) break;
                        var o = ToManifest(document.Root, source, index);
                        total += o.Json.Length;
                        if (total > ManifestLimits.MaxTotalJsonBytes)
                            throw new FleetValidationException(source, $"holds more than {ManifestLimits.MaxTotalJsonBytes} bytes of objects as JSON (12 MiB, what one request to the hub may carry)");
                        objects.Add(o);
                        break;
                    case StreamStart or StreamEnd:
                        break;
                    case { } e:
                        document!.Add(e);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            throw new FleetValidationException(Where(), $"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}");
        }
        if (objects.Count == 0) throw new FleetValidationException(source, "contains no objects");
        return objects;
    }

    private static ManifestObject ToManifest(JsonNode node, string source, int index)
    {
        var where = $"{source} document {index}";
        if (node is not JsonObject root) throw new FleetValidationException(where, "is not a mapping (a Kubernetes object)");
        var apiVersion = Text(root["apiVersion"], "apiVersion", where) ?? throw new FleetValidationException($"{where} apiVersion", "is required");
        var kind = Text(root["kind"], "kind", where) ?? throw new FleetValidationException($"{where} kind", "is required");
        if (root["metadata"] is not JsonObject metadata)
            throw new FleetValidationException($"{where} ({kind}) metadata", "is required");
        var name = Text(metadata["name"], "metadata.name", $"{where} ({kind})") ?? throw new FleetValidationException($"{where} ({kind}) metadata.name", "is required");
        var ns = Text(metadata["namespace"], "metadata.namespace", $"{where} ({kind})");
        var json = root.ToJsonString();
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > ManifestLimits.MaxObjectBytes) throw YamlJsonBuilder.ObjectTooLarge(where);
        return new ManifestObject(apiVersion, kind, ns, name, json, index);
    }

    /// <summary>A string field, or null when absent or empty; any other type is an error (namespace: 123 is not
    /// "default"). The error names the field as validation does, located in its document.</summary>
    private static string? Text(JsonNode? node, string field, string location) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0 ? s : null,
        JsonValue v => throw new FleetValidationException(field, $"must be a string, not {v.ToJsonString()}").In(location),
        _ => throw new FleetValidationException(field, $"must be a string, not a {(node is JsonObject ? "mapping" : "sequence")}").In(location),
    };
}
