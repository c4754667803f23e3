using System.Globalization;
using System.Net;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>The Valid condition of an export, and the weight it contributes with.</summary>
/// <param name="Weight">The weight the export takes part in its import with; null: it takes no part (its Service is
/// missing or ineligible, or its weight annotation is bad and it never had a good one).</param>
public sealed record ExportValidity(bool Valid, string Reason, string Message, int? Weight);

/// <summary>
/// Checks a member's ServiceExport report. Malformed input (bad names, ports, addresses) is refused with an
/// exception naming the field; a well-formed export that cannot be exported gets Valid=False with Fleet's reason.
/// </summary>
public static class ExportValidation
{
    public const int MaxWeight = 1000;
    public const int DefaultWeight = 1;

    private static readonly string[] ServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private static readonly string[] Affinities = ["None", "ClientIP"];
    public static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    /// <summary>Throws <see cref="FleetValidationException"/> for malformed input or input over a quota; returns the
    /// report with defaults filled in.</summary>
    /// <param name="quotas">The hub's quotas; null: the defaults.</param>
    public static ServiceExportReport Normalize(ServiceExportReport report, FleetQuotas? quotas = null)
    {
        quotas ??= new FleetQuotas();
        var id = new NamespacedName(report.Namespace, report.Name);
        NameRules.RequireNamespacedName(id);
        var service = report.Service is null ? null : NormalizeService(report.Service, id, quotas);
        var endpoints = report.Endpoints ?? [];
        for (var i = 0; i < endpoints.Count; i++)
        {
            var address = endpoints[i].Address;
            if (!IsPlainIp(address))
                throw new FleetValidationException($"endpoints[{i}].address", $"\"{address}\" is not an IP address");
        }
        endpoints = EndpointSelection.Distinct(endpoints);
        // A dual-stack pod is one endpoint in each family: the pool limit holds per family (one pool per frontend).
        var counts = EndpointSelection.CountByFamily(endpoints.Select(e => e.Address));
        QuotaRules.RequireEndpoints(quotas, id, Math.Max(counts.IPv4, counts.IPv6));
        return report with { Service = service, Endpoints = endpoints };
    }

    /// <summary>Valid / ServiceNotFound / ServiceIneligible / ServiceExportInvalidWeightAnnotation, in that order (as Fleet).</summary>
    /// <param name="lastGoodWeight">The weight of the last valid report, if any: a bad annotation on a live export
    /// keeps it serving with that weight instead of cutting its traffic.</param>
    public static ExportValidity Validity(ServiceExportReport report, int? lastGoodWeight = null)
    {
        var id = new NamespacedName(report.Namespace, report.Name);
        if (report.Service is null)
            return new(false, ConditionReasons.ServiceNotFound, ConditionMessages.ServiceNotFound(id), null);
        if (report.Service.Type == "ExternalName")
            return new(false, ConditionReasons.ServiceIneligible, ConditionMessages.ServiceIneligible(id, "it is of type ExternalName"), null);
        if (report.Service.ClusterIP == "None")
            return new(false, ConditionReasons.ServiceIneligible, ConditionMessages.ServiceIneligible(id, "it is headless (clusterIP: None)"), null);
        if (WeightError(report.WeightAnnotation, out var weight) is { } error)
            return new(false, ConditionReasons.ServiceExportInvalidWeightAnnotation,
                ConditionMessages.InvalidWeight(id, error, lastGoodWeight is > 0), lastGoodWeight);
        return new(true, ConditionReasons.ServiceIsValid,
            weight == 0 ? ConditionMessages.ServiceWeightZero(id) : ConditionMessages.ServiceValid(id), weight);
    }

    /// <summary>Parses the weight annotation as Fleet does (Go's strconv.Atoi, then 0..1000); absent = 1.</summary>
    /// <returns>null when the weight is good, else Fleet's error text.</returns>
    public static string? WeightError(string? annotation, out int weight)
    {
        weight = DefaultWeight;
        if (annotation is null) return null;
        if (!long.TryParse(annotation, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            return $"the weight annotation is not a valid integer: {annotation}";
        if (parsed is < 0 or > MaxWeight)
            return $"the weight annotation is not in the range [0, {MaxWeight}]: {annotation}";
        weight = (int)parsed;
        return null;
    }

    private static ExportedService NormalizeService(ExportedService service, NamespacedName id, FleetQuotas quotas)
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
        QuotaRules.RequirePorts(quotas, id, input.Count); // before the ports are read: a 10,000-port Service costs nothing
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
