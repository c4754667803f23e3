using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FleetL4.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace FleetL4.Members;

/// <summary>
/// Turns the parser events of one YAML document into a JSON node within <see cref="ManifestLimits"/>: an explicit
/// stack instead of recursion (no stack overflow at any depth), nesting checked before a level opens, aliases
/// counted and their size charged before anything is copied, and the JSON size bounded from below as it grows, so memory
/// stays proportional to what the limits allow. Plain scalars follow the YAML 1.2 core schema (8080 is a number,
/// true a boolean, quoted text always a string), as kubectl reads them.
/// </summary>
internal sealed class YamlJsonBuilder(string where)
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>An open mapping or sequence, with the size of what it holds so far.</summary>
    private sealed class Frame(JsonNode container, string? anchor)
    {
        public JsonNode Container { get; } = container;
        public string? Anchor { get; } = anchor;
        public string? Key { get; set; } // a mapping's key waiting for its value
        public int Nodes { get; set; } = 1;
        public int Height { get; set; } = 1;
        public long Bytes { get; set; } = 2; // its brackets
    }

    /// <summary>A finished node with an anchor: what an alias to it copies, and what that costs.</summary>
    private sealed record Anchored(JsonNode? Node, int Nodes, int Height, long Bytes);

    private readonly Stack<Frame> _open = new();
    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private int _aliases;
    private int _expanded;
    private long _bytes;

    public bool Done { get; private set; }
    public JsonNode? Root { get; private set; }

    public void Add(ParsingEvent e)
    {
        switch (e)
        {
            case MappingStart m: Open(new JsonObject(), m.Anchor); break;
            case SequenceStart s: Open(new JsonArray(), s.Anchor); break;
            case MappingEnd or SequenceEnd: Close(); break;
            case Scalar s: AddScalar(s); break;
            case AnchorAlias a: AddAlias(a.Value.Value); break;
        }
    }

    private void Open(JsonNode container, AnchorName anchor)
    {
        if (_open.Count >= ManifestLimits.MaxDepth)
            throw Refuse($"nests deeper than {ManifestLimits.MaxDepth} levels of mappings and sequences (the depth the hub reads JSON to)");
        if (_open.TryPeek(out var parent) && parent.Container is JsonObject && parent.Key is null)
            throw Refuse("a mapping key must be a string, not a mapping or sequence");
        Charge(2);
        _open.Push(new Frame(container, anchor.IsEmpty ? null : anchor.Value));
    }

    private void Close()
    {
        var frame = _open.Pop();
        var done = new Anchored(frame.Container, frame.Nodes, frame.Height, frame.Bytes);
        if (frame.Anchor is { } name) _anchors[name] = done;
        Place(done, key: null);
    }

    private void AddScalar(Scalar s)
    {
        if (s.Value.Length > ManifestLimits.MaxStringLength)
            throw Refuse($"a string of {s.Value.Length} characters; at most {ManifestLimits.MaxStringLength} (1 MiB, what a ConfigMap may hold) are allowed");
        // A key is text whatever it looks like (JSON keys are strings); only values are typed.
        var isKey = _open.TryPeek(out var parent) && parent.Container is JsonObject && parent.Key is null;
        var value = isKey ? JsonValue.Create(s.Value) : Value(s);
        var bytes = JsonBytesAtLeast(value, isKey);
        Charge(bytes);
        var done = new Anchored(value, 1, 0, bytes);
        if (!s.Anchor.IsEmpty) _anchors[s.Anchor.Value] = done;
        Place(done, key: s.Value);
    }

    private void AddAlias(string name)
    {
        if (_open.Any(f => f.Anchor == name)) throw Refuse($"alias *{name} refers to the node that contains it");
        if (!_anchors.TryGetValue(name, out var anchored)) throw Refuse($"alias *{name} has no anchor &{name} before it");
        if (++_aliases > ManifestLimits.MaxAliases)
            throw Refuse($"more than {ManifestLimits.MaxAliases} aliases in one document");
        _expanded += anchored.Nodes;
        if (_expanded > ManifestLimits.MaxAliasExpansion)
            throw Refuse($"aliases expand to more than {ManifestLimits.MaxAliasExpansion} nodes (a YAML bomb?)");
        if (_open.Count + anchored.Height > ManifestLimits.MaxDepth)
            throw Refuse($"alias *{name} nests deeper than {ManifestLimits.MaxDepth} levels of mappings and sequences");
        Charge(anchored.Bytes);
        var key = anchored.Node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        Place(anchored with { Node = anchored.Node?.DeepClone() }, key);
    }

    /// <summary>Puts a finished node where it belongs: the document's root, a mapping's key or value, a sequence item.</summary>
    private void Place(Anchored node, string? key)
    {
        if (!_open.TryPeek(out var parent))
        {
            Root = node.Node;
            Done = true;
            return;
        }
        parent.Nodes += node.Nodes;
        parent.Height = Math.Max(parent.Height, node.Height + 1);
        parent.Bytes += node.Bytes;
        switch (parent.Container)
        {
            case JsonObject map when parent.Key is null:
                if (key is null) throw Refuse("a mapping key must be a string");
                if (map.ContainsKey(key)) throw Refuse($"key \"{key}\" appears twice in one mapping");
                parent.Key = key;
                break;
            case JsonObject map:
                map.Add(parent.Key, node.Node);
                parent.Key = null;
                break;
            case JsonArray array:
                array.Add(node.Node);
                break;
        }
    }

    /// <summary>A lower bound of the node's JSON size (escapes only add), so an object exactly at the limit passes
    /// and the exact size is measured once, on the finished object.</summary>
    private static long JsonBytesAtLeast(JsonNode? value, bool isKey) => value switch
    {
        null => 4, // null
        JsonValue v when v.TryGetValue<string>(out var text) => text.Length + (isKey ? 3 : 2), // quotes (and a colon)
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? 4 : 5,
        _ => 1, // a number: "007" is written 7
    };

    private void Charge(long bytes)
    {
        _bytes += bytes;
        if (_bytes > ManifestLimits.MaxObjectBytes) throw ObjectTooLarge(where);
    }

    internal static FleetValidationException ObjectTooLarge(string where) =>
        new(where, $"is more than {ManifestLimits.MaxObjectBytes} bytes as JSON; at most 1.5 MiB per object are allowed (etcd's limit on a Kubernetes object)");

    private JsonNode? Value(Scalar scalar)
    {
        var value = scalar.Value;
        if (scalar.Style is not ScalarStyle.Plain || scalar.Tag is { IsGlobal: true, Value: StringTag }) return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && value.Any(char.IsDigit) && !value.Contains(':'))
            return double.IsFinite(number) ? JsonValue.Create(number) : throw Refuse($"the number {value} is out of range (quote it to make it a string)");
        return JsonValue.Create(value);
    }

    private FleetValidationException Refuse(string detail) => new(Path() is { Length: > 0 } path ? $"{where} {path}" : where, detail);

    /// <summary>Where the builder is, as a field path (spec.ports[1].name), for error messages only.</summary>
    private string Path()
    {
        var path = new StringBuilder();
        foreach (var frame in _open.Reverse())
        {
            if (frame.Container is JsonArray array) path.Append(CultureInfo.InvariantCulture, $"[{array.Count}]");
            else if (frame.Key is { } key) path.Append(path.Length > 0 ? "." : "").Append(key.Length > 64 ? key[..64] + "..." : key);
        }
        return path.ToString();
    }
}
