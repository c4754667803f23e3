using System.Globalization;
using System.Net;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>The Valid condition of an export: why it can or cannot be exported.</summary>
public sealed record ExportValidity(bool Valid, string Reason, string Message, int Weight);

/// <summary>
/// Checks a member's ServiceExport report. Malformed input (bad names, ports, addresses) is refused with an
/// exception naming the field; a well-formed export that cannot be exported gets Valid=False with Fleet's reason.
/// </summary>
public static class ExportValidation
{
    /// <summary>Azure Load Balancer's limit of addresses in one backend pool.</summary>
    public const int MaxEndpoints = 5000;
    public const int MaxWeight = 1000;
    public const int DefaultWeight = 1;

    private static readonly string[] ServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private static readonly string[] Affinities = ["None", "ClientIP"];
    public static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    /// <summary>Throws <see cref="FleetValidationException"/> for malformed input; returns the report with defaults filled in.</summary>
    public static ServiceExportReport Normalize(ServiceExportReport report)
    {
        NameRules.RequireNamespacedName(new NamespacedName(report.Namespace, report.Name));
        var service = report.Service is null ? null : NormalizeService(report.Service);
        var endpoints = report.Endpoints ?? [];
        if (endpoints.Count > MaxEndpoints)
            throw new FleetValidationException("endpoints", $"{endpoints.Count} endpoints in one export; at most {MaxEndpoints} are allowed (the Azure Load Balancer backend pool limit)");
        for (var i = 0; i < endpoints.Count; i++)
        {
            var address = endpoints[i].Address;
            if (!IsPlainIp(address))
                throw new FleetValidationException($"endpoints[{i}].address", $"\"{address}\" is not an IP address");
        }
        return report with { Service = service, Endpoints = endpoints };
    }

    /// <summary>Valid / ServiceNotFound / ServiceIneligible / ServiceExportInvalidWeightAnnotation, in that order.</summary>
    public static ExportValidity Validity(ServiceExportReport report)
    {
        var id = $"{report.Namespace}/{report.Name}";
        if (report.Service is null)
            return new(false, ConditionReasons.ServiceNotFound, $"service {id} is not found", 0);
        if (report.Service.Type == "ExternalName")
            return new(false, ConditionReasons.ServiceIneligible, $"service {id} is of type ExternalName and cannot be exported", 0);
        if (report.Service.ClusterIP == "None")
            return new(false, ConditionReasons.ServiceIneligible, $"service {id} is headless (clusterIP: None) and cannot be exported", 0);
        if (!TryParseWeight(report.WeightAnnotation, out var weight))
            return new(false, ConditionReasons.ServiceExportInvalidWeightAnnotation,
                $"annotation {FleetAnnotations.Weight} \"{report.WeightAnnotation}\" must be an integer from 0 to {MaxWeight}", 0);
        return new(true, ConditionReasons.ServiceIsValid, $"service {id} is valid for export", weight);
    }

    public static bool TryParseWeight(string? annotation, out int weight)
    {
        weight = DefaultWeight;
        if (annotation is null) return true;
        return int.TryParse(annotation, NumberStyles.None, CultureInfo.InvariantCulture, out weight) && weight <= MaxWeight;
    }

    private static ExportedService NormalizeService(ExportedService service)
    {
        var type = string.IsNullOrEmpty(service.Type) ? "ClusterIP" : service.Type;
        if (!ServiceTypes.Contains(type))
            throw new FleetValidationException("service.spec.type", $"\"{type}\" is not one of {string.Join(", ", ServiceTypes)}");
        var affinity = string.IsNullOrEmpty(service.SessionAffinity) ? "None" : service.SessionAffinity;
        if (!Affinities.Contains(affinity))
            throw new FleetValidationException("service.spec.sessionAffinity", $"\"{affinity}\" is not one of {string.Join(", ", Affinities)}");
        var ports = new List<ServicePort>();
        var seen = new HashSet<(string, int)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var input = service.Ports ?? [];
        for (var i = 0; i < input.Count; i++)
        {
            var p = input[i];
            var field = $"service.spec.ports[{i}]";
            var protocol = string.IsNullOrEmpty(p.Protocol) ? "TCP" : p.Protocol;
            if (!Protocols.Contains(protocol))
                throw new FleetValidationException($"{field}.protocol", $"\"{protocol}\" is not one of TCP, UDP, SCTP");
            if (p.Port is < 1 or > 65535)
                throw new FleetValidationException($"{field}.port", $"{p.Port} is outside 1..65535");
            if (p.TargetPort is < 0 or > 65535)
                throw new FleetValidationException($"{field}.targetPort", $"{p.TargetPort} is outside 1..65535");
            if (!seen.Add((protocol, p.Port)))
                throw new FleetValidationException($"{field}.port", $"duplicate port {p.Port}/{protocol}");
            if (!string.IsNullOrEmpty(p.Name) && !names.Add(p.Name))
                throw new FleetValidationException($"{field}.name", $"duplicate port name \"{p.Name}\"");
            // Empty and absent mean the same in Kubernetes; one spelling keeps conflict checks honest.
            ports.Add(p with
            {
                Protocol = protocol,
                Name = string.IsNullOrEmpty(p.Name) ? null : p.Name,
                AppProtocol = string.IsNullOrEmpty(p.AppProtocol) ? null : p.AppProtocol,
            });
        }
        return service with { Type = type, SessionAffinity = affinity, Ports = ports };
    }

    /// <summary>
    /// An IPv4 address in dotted-quad form or an IPv6 address, nothing else: IPAddress.TryParse also takes
    /// "12345", "[fd00::1]:8080" or a scope id, none of which is an endpoint address.
    /// </summary>
    private static bool IsPlainIp(string? text)
    {
        if (string.IsNullOrEmpty(text) || !IPAddress.TryParse(text, out var ip)) return false;
        return ip.AddressFamily switch
        {
            System.Net.Sockets.AddressFamily.InterNetwork => ip.ToString() == text,
            System.Net.Sockets.AddressFamily.InterNetworkV6 => !text.Contains('[') && !text.Contains('%') && ip.ScopeId == 0,
            _ => false,
        };
    }
}
