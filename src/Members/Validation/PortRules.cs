using System.Text.Json;
using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>Port fields of Services and EndpointSlices, as Kubernetes validates them.</summary>
internal static class PortRules
{
    public const int MaxPort = 65535;
    public static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    /// <summary>An integer 1-65535; null when absent and not <paramref name="required"/>.</summary>
    public static int? Number(JsonObject port, string key, string path, bool required)
    {
        var value = JsonField.Integer(port, key, path);
        if (value is null)
            return required ? throw new FleetValidationException(path, "is required") : null;
        return value is >= 1 and <= MaxPort ? (int)value : throw new FleetValidationException(path, $"{value} is outside 1..{MaxPort}");
    }

    /// <summary>targetPort: an integer 1-65535 or the name of a container port (IANA_SVC_NAME); never a number in a string.</summary>
    public static void Target(JsonObject port, string path)
    {
        var node = port["targetPort"];
        switch (node?.GetValueKind())
        {
            case null: return;
            case JsonValueKind.Number: Number(port, "targetPort", path, required: false); return;
            case JsonValueKind.String: NameRules.RequireIanaServiceName(path, node.GetValue<string>()); return;
            default: throw new FleetValidationException(path, $"must be a port number or a port name, not {node.ToJsonString()}");
        }
    }

    public static void Protocol(JsonObject port, string path)
    {
        if (JsonField.String(port, "protocol", path) is { } protocol && !Protocols.Contains(protocol))
            throw new FleetValidationException(path, $"{NameRules.Quote(protocol)} is not one of {string.Join(", ", Protocols)}");
    }

    /// <summary>A port's name: empty or a DNS-1123 label, unique among the ports; returns it (null when unnamed).</summary>
    public static string? Name(JsonObject port, string path, ISet<string> names)
    {
        var name = JsonField.String(port, "name", path);
        if (string.IsNullOrEmpty(name)) return null;
        NameRules.RequireDns1123Label(path, name);
        if (!names.Add(name)) throw new FleetValidationException(path, $"duplicate port name {NameRules.Quote(name)}");
        return name;
    }

    /// <summary>appProtocol: a qualified name ("http", "kubernetes.io/h2c").</summary>
    public static void AppProtocol(JsonObject port, string path)
    {
        if (JsonField.String(port, "appProtocol", path) is { } app) LabelRules.RequireKey(path, app);
    }
}
