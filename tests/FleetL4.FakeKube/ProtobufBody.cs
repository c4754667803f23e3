using System.Text.Json.Nodes;
using Google.Protobuf;

namespace FleetL4.FakeKube;

/// <summary>
/// Request bodies in application/vnd.kubernetes.protobuf, as kubectl's typed commands send them (kubectl create
/// namespace): the magic "k8s\0", then a runtime.Unknown {1: TypeMeta {1: apiVersion, 2: kind}, 2: raw (the object's
/// own protobuf), 3: contentEncoding, 4: contentType}. Only a v1 Namespace is read, into the JSON object the JSON path
/// takes (metadata name, generateName, resourceVersion, labels, annotations); every other field is skipped by its wire type.
/// </summary>
public static class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public static bool Is(string? contentType) =>
        contentType is not null && contentType.StartsWith(MediaType, StringComparison.Ordinal);

    /// <summary>Whether the fake reads protobuf bodies of this resource (v1 Namespace only).</summary>
    public static bool Supports(FakeResource r) => r.Group.Length == 0 && r.Version == "v1" && r.Kind == "Namespace";

    /// <summary>The Namespace of a protobuf body, as JSON; a <see cref="FormatException"/> for a body that is not one.</summary>
    public static JsonObject ReadNamespace(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new FormatException("the body does not start with the protobuf envelope's magic number \"k8s\\0\"");
        string? apiVersion = null, kind = null;
        ByteString? raw = null;
        try
        {
            var unknown = new CodedInputStream(body, Magic.Length, body.Length - Magic.Length);
            for (uint tag; (tag = unknown.ReadTag()) != 0;)
                switch (tag)
                {
                    case Tag1Bytes:
                        var typeMeta = unknown.ReadBytes().CreateCodedInput();
                        for (uint t; (t = typeMeta.ReadTag()) != 0;)
                            if (t == Tag1Bytes) apiVersion = typeMeta.ReadString();
                            else if (t == Tag2Bytes) kind = typeMeta.ReadString();
                            else typeMeta.SkipLastField();
                        break;
                    case Tag2Bytes:
                        raw = unknown.ReadBytes();
                        break;
                    default:
                        unknown.SkipLastField();
                        break;
                }
            if (apiVersion != "v1" || kind != "Namespace")
                throw new FormatException($"the object in the body is {apiVersion}/{kind}, not v1/Namespace");
            var metadata = new JsonObject();
            var ns = (raw ?? ByteString.Empty).CreateCodedInput();
            for (uint tag; (tag = ns.ReadTag()) != 0;)
                if (tag == Tag1Bytes) ReadObjectMeta(ns.ReadBytes().CreateCodedInput(), metadata);
                else ns.SkipLastField(); // spec (finalizers) and status are the server's
            return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException($"the protobuf body could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Tags of length-delimited fields 1, 2, 3, 6, 11 and 12 ((number &lt;&lt; 3) | wire type 2).</summary>
    private const uint Tag1Bytes = (1 << 3) | 2, Tag2Bytes = (2 << 3) | 2, Tag6Bytes = (6 << 3) | 2, Tag11Bytes = (11 << 3) | 2, Tag12Bytes = (12 << 3) | 2;

    /// <summary>ObjectMeta {1: name, 2: generateName, 6: resourceVersion, 11: labels, 12: annotations}; an empty string is absent, as in JSON.</summary>
    private static void ReadObjectMeta(CodedInputStream meta, JsonObject into)
    {
        for (uint tag; (tag = meta.ReadTag()) != 0;)
            switch (tag)
            {
                case Tag1Bytes: SetString(into, "name", meta.ReadString()); break;
                case Tag2Bytes: SetString(into, "generateName", meta.ReadString()); break;
                case Tag6Bytes: SetString(into, "resourceVersion", meta.ReadString()); break;
                case Tag11Bytes: MapEntry(meta.ReadBytes().CreateCodedInput(), into, "labels"); break;
                case Tag12Bytes: MapEntry(meta.ReadBytes().CreateCodedInput(), into, "annotations"); break;
                default: meta.SkipLastField(); break;
            }
    }

    private static void SetString(JsonObject into, string key, string value)
    {
        if (value.Length > 0) into[key] = value;
    }

    /// <summary>One entry of a map&lt;string, string&gt; {1: key, 2: value}.</summary>
    private static void MapEntry(CodedInputStream entry, JsonObject meta, string map)
    {
        string key = "", value = "";
        for (uint tag; (tag = entry.ReadTag()) != 0;)
            if (tag == Tag1Bytes) key = entry.ReadString();
            else if (tag == Tag2Bytes) value = entry.ReadString();
            else entry.SkipLastField();
        var entries = meta[map] as JsonObject ?? (JsonObject)(meta[map] = new JsonObject());
        entries[key] = value;
    }
}
