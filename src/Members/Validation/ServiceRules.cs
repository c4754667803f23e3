using System.Text.Json.Nodes;
using FleetL4.Domain;
using FleetL4.Models;

namespace FleetL4.Members.Validation;

/// <summary>The fields of a v1 Service that the translation reads: spec.type, clusterIP, sessionAffinity, ports.</summary>
internal static class ServiceRules
{
    private static readonly string[] Types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private static readonly string[] Affinities = ["None", "ClientIP"];

    public static void Validate(JsonObject root)
    {
        if (JsonField.Object(root, "spec", "spec") is not { } spec) return;
        OneOf(spec, "type", Types);
        OneOf(spec, "sessionAffinity", Affinities);
        if (JsonField.String(spec, "clusterIP", "spec.clusterIP") is { Length: > 0 } ip && ip != "None" && !IpAddressRules.IsIp(ip))
            throw new FleetValidationException("spec.clusterIP", $"{NameRules.Quote(ip)} is not an IP address, \"None\" or empty");
        if (JsonField.Array(spec, "ports", "spec.ports") is not { } ports) return;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            var port = JsonField.ObjectItem(ports[i], path);
            // Kubernetes: with more than one port, each needs a name (targetPorts and slices match by it).
            if (PortRules.Name(port, $"{path}.name", names) is null && ports.Count > 1)
                throw new FleetValidationException($"{path}.name", "is required when the Service has more than one port");
            PortRules.Protocol(port, $"{path}.protocol");
            PortRules.Number(port, "port", $"{path}.port", required: true);
            PortRules.Target(port, $"{path}.targetPort");
            PortRules.AppProtocol(port, $"{path}.appProtocol");
        }
    }

    private static void OneOf(JsonObject spec, string key, string[] allowed)
    {
        if (JsonField.String(spec, key, $"spec.{key}") is { Length: > 0 } value && !allowed.Contains(value))
            throw new FleetValidationException($"spec.{key}", $"{NameRules.Quote(value)} is not one of {string.Join(", ", allowed)}");
    }
}
