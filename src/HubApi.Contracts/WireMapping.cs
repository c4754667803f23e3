using FleetL4.Models;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using V1 = FleetL4.HubApi.V1;

namespace FleetL4.HubApi;

/// <summary>The hub's models to and from the API's wire messages; both sides use this one mapping.</summary>
public static class WireMapping
{
    // Scalars
    private static Timestamp Wire(DateTimeOffset t) => Timestamp.FromDateTimeOffset(t);
    private static DateTimeOffset Model(Timestamp? t) => t?.ToDateTimeOffset() ?? default;

    public static V1.NamespacedName Wire(this NamespacedName n) => new() { Namespace = n.Namespace, Name = n.Name };
    public static NamespacedName Model(this V1.NamespacedName n) => new(n.Namespace, n.Name);

    public static V1.ClusterNamespacedName Wire(this ClusterNamespacedName n) => new() { Cluster = n.Cluster, Namespace = n.Namespace, Name = n.Name };
    public static ClusterNamespacedName Model(this V1.ClusterNamespacedName n) => new(n.Cluster, n.Namespace, n.Name);

    public static V1.Condition Wire(this Condition c) => new()
    {
        Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message,
        ObservedGeneration = c.ObservedGeneration, LastTransitionTime = Wire(c.LastTransitionTime),
    };

    public static Condition Model(this V1.Condition c) =>
        new(c.Type, c.Status, c.Reason, c.Message, c.ObservedGeneration, Model(c.LastTransitionTime));

    private static void Fill<T>(RepeatedField<T> field, IEnumerable<T> items) => field.AddRange(items);

    private static void Fill(MapField<string, string> field, IReadOnlyDictionary<string, string>? items)
    {
        if (items is not null) foreach (var (k, v) in items) field[k] = v;
    }

    private static Dictionary<string, string> Model(MapField<string, string> map) => new(map, StringComparer.Ordinal);

    // Member clusters
    public static V1.MemberCluster Wire(this MemberClusterView m)
    {
        var w = new V1.MemberCluster
        {
            Name = m.Name, Joined = m.Joined, JoinedAt = Wire(m.JoinedAt), LeaseLive = m.LeaseLive, Virtual = m.Virtual,
            LastHeartbeat = m.LastHeartbeat is { } h ? Wire(h) : null,
        };
        Fill(w.Labels, m.Labels);
        Fill(w.Conditions, m.Conditions.Select(Wire));
        Fill(w.ServiceExports, m.ServiceExports.Select(Wire));
        Fill(w.MultiClusterServices, m.MultiClusterServices.Select(Wire));
        return w;
    }

    public static MemberClusterView Model(this V1.MemberCluster m) => new(
        m.Name, m.Joined, Model(m.Labels), Model(m.JoinedAt), m.LastHeartbeat is { } h ? Model(h) : null, m.LeaseLive,
        [.. m.Conditions.Select(Model)], [.. m.ServiceExports.Select(Model)], [.. m.MultiClusterServices.Select(Model)], m.Virtual);

    // Services and endpoints
    public static V1.ServicePort Wire(this ServicePort p)
    {
        var w = new V1.ServicePort { Protocol = p.Protocol, Port = p.Port, TargetPort = p.TargetPort };
        if (p.Name is not null) w.Name = p.Name;
        if (p.AppProtocol is not null) w.AppProtocol = p.AppProtocol;
        return w;
    }

    public static ServicePort Model(this V1.ServicePort p) =>
        new(p.HasName ? p.Name : null, p.Protocol, p.Port, p.TargetPort, p.HasAppProtocol ? p.AppProtocol : null);

    public static V1.ExportedService Wire(this ExportedService s)
    {
        var w = new V1.ExportedService { Type = s.Type, SessionAffinity = s.SessionAffinity };
        if (s.ClusterIP is not null) w.ClusterIp = s.ClusterIP;
        Fill(w.Ports, s.Ports.Select(Wire));
        return w;
    }

    public static ExportedService Model(this V1.ExportedService s) =>
        new(s.Type, s.HasClusterIp ? s.ClusterIp : null, [.. s.Ports.Select(Model)], s.SessionAffinity);

    public static V1.Endpoint Wire(this EndpointInfo e)
    {
        var w = new V1.Endpoint { Address = e.Address, Ready = e.Ready, Serving = e.Serving, Terminating = e.Terminating };
        if (e.Zone is not null) w.Zone = e.Zone;
        return w;
    }

    public static EndpointInfo Model(this V1.Endpoint e) => new(e.Address, e.Ready, e.Serving, e.Terminating, e.HasZone ? e.Zone : null);

    // ServiceExports
    public static V1.ServiceExportReport Wire(this ServiceExportReport r)
    {
        var w = new V1.ServiceExportReport
        {
            Namespace = r.Namespace, Name = r.Name, CreationTimestamp = Wire(r.CreationTimestamp), Service = r.Service?.Wire(),
            Generation = r.Generation, Revision = r.Revision,
        };
        if (r.WeightAnnotation is not null) w.WeightAnnotation = r.WeightAnnotation;
        Fill(w.Endpoints, r.Endpoints.Select(Wire));
        return w;
    }

    public static ServiceExportReport Model(this V1.ServiceExportReport r) => new(
        r.Namespace, r.Name, Model(r.CreationTimestamp), r.Service?.Model(), [.. r.Endpoints.Select(Model)],
        r.Generation, r.Revision, r.HasWeightAnnotation ? r.WeightAnnotation : null);

    public static V1.ServiceExport Wire(this ServiceExportView e)
    {
        var w = new V1.ServiceExport
        {
            Cluster = e.Cluster, Namespace = e.Namespace, Name = e.Name, Exists = e.Exists,
            CreationTimestamp = Wire(e.CreationTimestamp), Service = e.Service?.Wire(), Weight = e.Weight,
        };
        Fill(w.Endpoints, e.Endpoints.Select(Wire));
        Fill(w.Conditions, e.Conditions.Select(Wire));
        return w;
    }

    public static ServiceExportView Model(this V1.ServiceExport e) => new(
        e.Cluster, e.Namespace, e.Name, e.Exists, Model(e.CreationTimestamp), e.Service?.Model(),
        [.. e.Endpoints.Select(Model)], e.Weight, [.. e.Conditions.Select(Model)]);

    // ServiceImports
    public static V1.ImportInfo Wire(this ImportInfo i)
    {
        var w = new V1.ImportInfo { Type = i.Type, SessionAffinity = i.SessionAffinity };
        Fill(w.Ports, i.Ports.Select(Wire));
        Fill(w.Clusters, i.Clusters);
        return w;
    }

    public static ImportInfo Model(this V1.ImportInfo? i) =>
        i is null ? ImportInfo.Empty : new(i.Type, [.. i.Ports.Select(Model)], i.SessionAffinity, [.. i.Clusters]);

    private static V1.FamilyCounts Wire(FamilyCounts c) => new() { Ipv4 = c.IPv4, Ipv6 = c.IPv6 };
    private static FamilyCounts Model(V1.FamilyCounts? c) => c is null ? default : new(c.Ipv4, c.Ipv6);

    public static V1.ServiceImport Wire(this ServiceImportView i)
    {
        var w = new V1.ServiceImport
        {
            Namespace = i.Namespace, Name = i.Name, Info = i.Info.Wire(), BackendCount = i.BackendCount,
            CreationTimestamp = Wire(i.CreationTimestamp), BackendsByFamily = Wire(i.BackendsByFamily),
        };
        Fill(w.Exports, i.Exports.Select(e =>
        {
            var c = new V1.ImportCluster { Cluster = e.Cluster, State = e.State, Backends = e.Backends, BackendsByFamily = Wire(e.BackendsByFamily) };
            if (e.ConflictMessage is not null) c.ConflictMessage = e.ConflictMessage;
            return c;
        }));
        Fill(w.MultiClusterServices, i.MultiClusterServices.Select(Wire));
        return w;
    }

    public static ServiceImportView Model(this V1.ServiceImport i) => new(
        i.Namespace, i.Name, i.Info.Model(),
        [.. i.Exports.Select(e => new ImportClusterView(e.Cluster, e.State, e.Backends, e.HasConflictMessage ? e.ConflictMessage : null, Model(e.BackendsByFamily)))],
        [.. i.MultiClusterServices.Select(Model)], i.BackendCount, Model(i.CreationTimestamp), Model(i.BackendsByFamily));

    // MultiClusterServices
    public static V1.MultiClusterServiceSpec Wire(this MultiClusterServiceSpec s)
    {
        var w = new V1.MultiClusterServiceSpec { Namespace = s.Namespace, Name = s.Name, ServiceImportName = s.ServiceImportName, Generation = s.Generation };
        Fill(w.Annotations, s.Annotations);
        return w;
    }

    public static MultiClusterServiceSpec Model(this V1.MultiClusterServiceSpec s) =>
        new(s.Namespace, s.Name, s.ServiceImportName, Model(s.Annotations), s.Generation);

    public static V1.MultiClusterService Wire(this MultiClusterServiceView m)
    {
        var w = new V1.MultiClusterService
        {
            Cluster = m.Cluster, Namespace = m.Namespace, Name = m.Name, Exists = m.Exists, ServiceImportName = m.ServiceImportName,
            Internal = m.Internal, CreationTimestamp = Wire(m.CreationTimestamp), Import = m.Import.Wire(),
            LoadBalancerInSync = m.LoadBalancerInSync, IpFamily = m.IpFamily,
        };
        if (m.ExternalIp is not null) w.ExternalIp = m.ExternalIp;
        if (m.LoadBalancerError is not null) w.LoadBalancerError = m.LoadBalancerError;
        Fill(w.Conditions, m.Conditions.Select(Wire));
        Fill(w.Backends, m.Backends.Select(b => new V1.Backend { Cluster = b.Cluster, Address = b.Address }));
        Fill(w.LoadBalancerDetails, m.LoadBalancerDetails ?? []);
        return w;
    }

    public static MultiClusterServiceView Model(this V1.MultiClusterService m) => new(
        m.Cluster, m.Namespace, m.Name, m.Exists, m.ServiceImportName, m.Internal, m.HasExternalIp ? m.ExternalIp : null,
        Model(m.CreationTimestamp), [.. m.Conditions.Select(Model)], m.Import.Model(),
        [.. m.Backends.Select(b => new Backend(b.Cluster, b.Address))], m.LoadBalancerInSync,
        m.HasLoadBalancerError ? m.LoadBalancerError : null, m.IpFamily, m.LoadBalancerDetails.Count > 0 ? [.. m.LoadBalancerDetails] : null);

    // A member's batch
    public static V1.SyncRequest Wire(this MemberChanges c, string cluster)
    {
        var w = new V1.SyncRequest { Cluster = cluster, Revision = c.Revision };
        Fill(w.Reports, c.Reports.Select(Wire));
        Fill(w.RemovedExports, c.RemovedExports.Select(Wire));
        Fill(w.MultiClusterServices, c.MultiClusterServices.Select(Wire));
        Fill(w.DeletedMultiClusterServices, c.DeletedMultiClusterServices.Select(Wire));
        return w;
    }

    public static MemberChanges Model(this V1.SyncRequest r) => new(
        [.. r.Reports.Select(Model)], [.. r.RemovedExports.Select(Model)], [.. r.MultiClusterServices.Select(Model)],
        [.. r.DeletedMultiClusterServices.Select(Model)], r.Revision);

    public static V1.SyncResponse Wire(this MemberSyncResult r)
    {
        var w = new V1.SyncResponse();
        Fill(w.Exports, r.Exports.Select(Wire));
        Fill(w.MultiClusterServices, r.MultiClusterServices.Select(Wire));
        Fill(w.Rejected, r.Rejected.Select(x => new V1.Rejection { Kind = x.Kind, Object = x.Object.Wire(), Field = x.Field, Detail = x.Detail }));
        return w;
    }

    public static MemberSyncResult Model(this V1.SyncResponse r) => new(
        [.. r.Exports.Select(Model)], [.. r.MultiClusterServices.Select(Model)],
        [.. r.Rejected.Select(x => new SyncRejection(x.Kind, x.Object?.Model() ?? new NamespacedName("", ""), x.Field, x.Detail))]);

    // Manifests (virtual clusters)
    public static V1.ManifestObject Wire(this ManifestObject o)
    {
        var w = new V1.ManifestObject { ApiVersion = o.ApiVersion, Kind = o.Kind, Name = o.Name, Json = o.Json, Document = o.Document };
        if (o.Namespace is not null) w.Namespace = o.Namespace;
        return w;
    }

    public static ManifestObject Model(this V1.ManifestObject o) =>
        new(o.ApiVersion, o.Kind, o.HasNamespace ? o.Namespace : null, o.Name, o.Json, o.Document);

    public static V1.ManifestResult Wire(this ManifestResult r)
    {
        var w = new V1.ManifestResult { Kind = r.Kind, Name = r.Name, Action = r.Action };
        if (r.Namespace is not null) w.Namespace = r.Namespace;
        if (r.Warning is not null) w.Warning = r.Warning;
        return w;
    }

    public static ManifestResult Model(this V1.ManifestResult r) =>
        new(r.Kind, r.HasNamespace ? r.Namespace : null, r.Name, r.Action, r.HasWarning ? r.Warning : null);

    // Placements and the work they put on members
    public static V1.ResourceId Wire(this ResourceId r)
    {
        var wire = new V1.ResourceId { Group = r.Group, Version = r.Version, Kind = r.Kind, Name = r.Name };
        if (r.Namespace is not null) wire.Namespace = r.Namespace;
        return wire;
    }

    public static ResourceId Model(this V1.ResourceId r) => new(r.Group, r.Version, r.Kind, r.HasNamespace ? r.Namespace : null, r.Name);

    public static V1.ResourceApplyResult Wire(this ResourceApplyResult r)
    {
        var wire = new V1.ResourceApplyResult { Resource = r.Resource.Wire(), Applied = r.Applied };
        if (r.Message is not null) wire.Message = r.Message;
        return wire;
    }

    public static ResourceApplyResult Model(this V1.ResourceApplyResult r) => new(r.Resource.Model(), r.Applied, r.HasMessage ? r.Message : null);

    public static V1.ClusterPlacementStatus Wire(this ClusterPlacementStatus c)
    {
        var wire = new V1.ClusterPlacementStatus { Cluster = c.Cluster, AppliedStatus = c.AppliedStatus, Reason = c.Reason, Message = c.Message, AppliedRevision = c.AppliedRevision };
        Fill(wire.Failed, c.Failed.Select(f => f.Wire()));
        return wire;
    }

    public static ClusterPlacementStatus Model(this V1.ClusterPlacementStatus c) =>
        new(c.Cluster, c.AppliedStatus, c.Reason, c.Message, c.AppliedRevision, [.. c.Failed.Select(f => f.Model())]);

    public static V1.Placement Wire(this PlacementView p)
    {
        var wire = new V1.Placement { Name = p.Name, Exists = p.Exists, Generation = p.Generation, CreationTimestamp = Wire(p.CreationTimestamp), Revision = p.Revision };
        if (p.Json is not null) wire.Json = p.Json;
        Fill(wire.Conditions, p.Conditions.Select(c => c.Wire()));
        Fill(wire.SelectedResources, p.SelectedResources.Select(r => r.Wire()));
        Fill(wire.Clusters, p.Clusters.Select(c => c.Wire()));
        return wire;
    }

    public static PlacementView Model(this V1.Placement p) => new(p.Name, p.Exists, p.HasJson ? p.Json : null, p.Generation, Model(p.CreationTimestamp),
        [.. p.Conditions.Select(c => c.Model())], [.. p.SelectedResources.Select(r => r.Model())], [.. p.Clusters.Select(c => c.Model())], p.Revision);

    public static V1.ClusterWork Wire(this ClusterWork w)
    {
        var wire = new V1.ClusterWork { Cluster = w.Cluster };
        Fill(wire.Placements, w.Placements.Select(p =>
        {
            var placed = new V1.PlacedWork { Placement = p.Placement, Revision = p.Revision };
            Fill(placed.Objects, p.Objects.Select(o => o.Wire()));
            return placed;
        }));
        Fill(wire.Remove, w.Remove.Select(r => r.Wire()));
        return wire;
    }

    public static ClusterWork Model(this V1.ClusterWork w) => new(w.Cluster,
        [.. w.Placements.Select(p => new PlacedWork(p.Placement, p.Revision, [.. p.Objects.Select(o => o.Model())]))], [.. w.Remove.Select(r => r.Model())]);

    public static V1.WorkReportRequest Wire(this ClusterWorkReport r, string cluster)
    {
        var wire = new V1.WorkReportRequest { Cluster = cluster };
        Fill(wire.Placements, r.Placements.Select(p =>
        {
            var report = new V1.WorkReport { Placement = p.Placement, Revision = p.Revision };
            Fill(report.Results, p.Results.Select(x => x.Wire()));
            return report;
        }));
        Fill(wire.Removed, r.Removed.Select(x => x.Wire()));
        return wire;
    }

    public static ClusterWorkReport Model(this V1.WorkReportRequest r) => new(
        [.. r.Placements.Select(p => new WorkReport(p.Placement, p.Revision, [.. p.Results.Select(x => x.Model())]))], [.. r.Removed.Select(x => x.Model())]);
}
