using System.Globalization;
using FleetL4.Members.Resources;
using FleetL4.Members.Validation;
using FleetL4.Models;
using k8s.Models;

namespace FleetL4.Members;

/// <summary>
/// Turns a member's Kubernetes objects into the hub's facade inputs. The one translation shared by virtual
/// clusters (embedded mode) and the Kubernetes member agent, so both behave the same.
/// </summary>
public static class MemberTranslator
{
    /// <summary>The report for one ServiceExport: the Service it names (null if missing or being deleted) and its endpoints.</summary>
    public static ServiceExportReport ExportReport(ServiceExportResource export, V1Service? service, IEnumerable<V1EndpointSlice> slices)
    {
        var meta = export.Metadata;
        var sliceList = slices.ToList();
        var live = service is not null && service.Metadata?.DeletionTimestamp is null ? service : null;
        string? weight = null;
        meta.Annotations?.TryGetValue(FleetAnnotations.Weight, out weight);
        return new ServiceExportReport(
            meta.NamespaceProperty ?? "default",
            meta.Name,
            meta.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch,
            live is null ? null : ToService(live, sliceList),
            live is null ? [] : ToEndpoints(sliceList),
            meta.Generation ?? 1,
            Revision(export, live, sliceList),
            weight);
    }

    public static MultiClusterServiceSpec McsSpec(MultiClusterServiceResource mcs) => new(
        mcs.Metadata.NamespaceProperty ?? "default",
        mcs.Metadata.Name,
        mcs.Spec?.ServiceImport?.Name ?? "",
        mcs.Metadata.Annotations is { } a ? new Dictionary<string, string>(a) : null,
        mcs.Metadata.Generation ?? 1);

    public static ExportedService ToService(V1Service service, IReadOnlyList<V1EndpointSlice> slices)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var ports = (spec.Ports ?? []).Select(p => new ServicePort(
            p.Name, p.Protocol ?? "TCP", p.Port, TargetPort(p, slices), p.AppProtocol)).ToArray();
        return new ExportedService(spec.Type ?? "ClusterIP", spec.ClusterIP, ports, spec.SessionAffinity ?? "None");
    }

    /// <summary>EndpointSlice semantics: a null ready means ready; serving defaults to ready; terminating to false.
    /// IPv6 addresses in one spelling, so that an address several slices list is one endpoint (the hub merges
    /// repeats as kube-proxy does: <c>EndpointSelection.Distinct</c>).</summary>
    public static IReadOnlyList<EndpointInfo> ToEndpoints(IEnumerable<V1EndpointSlice> slices) =>
        slices.Where(s => s.AddressType is null or "IPv4" or "IPv6")
            .SelectMany(s => s.Endpoints ?? [])
            .SelectMany(e =>
            {
                var ready = e.Conditions?.Ready ?? true;
                var serving = e.Conditions?.Serving ?? ready;
                var terminating = e.Conditions?.Terminating ?? false;
                return (e.Addresses ?? []).Select(a => new EndpointInfo(IpAddressRules.Canonical(a), ready, serving, terminating, e.Zone));
            })
            .ToArray();

    /// <summary>A numeric targetPort as is; a named one resolved through the EndpointSlices' ports; absent: same as port.</summary>
    private static int TargetPort(V1ServicePort port, IReadOnlyList<V1EndpointSlice> slices)
    {
        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target)) return 0;
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
        var byName = slices.SelectMany(s => s.Ports ?? []).FirstOrDefault(p => p.Name == port.Name && p.Port is not null);
        return byName?.Port ?? 0;
    }

    /// <summary>The newest resourceVersion of the objects the report is made of (ordering of reports).</summary>
    private static long Revision(ServiceExportResource export, V1Service? service, IEnumerable<V1EndpointSlice> slices) =>
        new[] { export.Metadata.ResourceVersion, service?.Metadata?.ResourceVersion }
            .Concat(slices.Select(s => s.Metadata?.ResourceVersion))
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
}
