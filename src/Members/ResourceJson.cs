using System.Globalization;
using System.Text.Json.Nodes;
using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>Objects in the shape of their CRDs (apiVersion, kind, metadata, spec, status), for -o json|yaml.</summary>
public static class ResourceJson
{
    public static JsonObject MemberCluster(MemberClusterView m) => new()
    {
        ["apiVersion"] = FleetApi.MemberClusterApiVersion,
        ["kind"] = FleetApi.MemberCluster,
        ["metadata"] = new JsonObject
        {
            ["name"] = m.Name,
            ["creationTimestamp"] = Time(m.JoinedAt),
            ["labels"] = new JsonObject(m.Labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        },
        ["status"] = new JsonObject
        {
            ["conditions"] = Conditions(m.Conditions),
            ["lastHeartbeat"] = m.LastHeartbeat is { } h ? Time(h) : null,
            ["serviceExports"] = new JsonArray(m.ServiceExports.Select(s => (JsonNode?)s.ToString()).ToArray()),
            ["multiClusterServices"] = new JsonArray(m.MultiClusterServices.Select(s => (JsonNode?)s.ToString()).ToArray()),
        },
    };

    public static JsonObject ServiceExport(ServiceExportView e) => new()
    {
        ["apiVersion"] = $"{FleetApi.NetworkingGroup}/{FleetApi.ServiceExportVersion}",
        ["kind"] = FleetApi.ServiceExport,
        ["metadata"] = Metadata(e.Name, e.Namespace, e.CreationTimestamp, e.Cluster),
        ["status"] = new JsonObject
        {
            ["conditions"] = Conditions(e.Conditions),
            ["weight"] = e.Weight,
            ["endpoints"] = new JsonArray(e.Endpoints.Select(p => (JsonNode?)new JsonObject
            {
                ["address"] = p.Address,
                ["ready"] = p.Ready,
                ["serving"] = p.Serving,
                ["terminating"] = p.Terminating,
            }).ToArray()),
        },
    };

    public static JsonObject ServiceImport(ServiceImportView i) => new()
    {
        ["apiVersion"] = $"{FleetApi.NetworkingGroup}/{FleetApi.ServiceImportVersion}",
        ["kind"] = FleetApi.ServiceImport,
        ["metadata"] = new JsonObject { ["name"] = i.Name, ["namespace"] = i.Namespace },
        ["status"] = new JsonObject
        {
            ["type"] = i.Info.Type,
            ["sessionAffinity"] = i.Info.SessionAffinity,
            ["ports"] = Ports(i.Info.Ports),
            ["clusters"] = new JsonArray(i.Info.Clusters.Select(c => (JsonNode?)new JsonObject { ["cluster"] = c }).ToArray()),
            ["exports"] = new JsonArray(i.Exports.Select(x => (JsonNode?)new JsonObject
            {
                ["cluster"] = x.Cluster,
                ["state"] = x.State,
                ["backends"] = x.Backends,
                ["conflict"] = x.ConflictMessage,
            }).ToArray()),
            ["multiClusterServices"] = new JsonArray(i.MultiClusterServices.Select(s => (JsonNode?)s.ToString()).ToArray()),
        },
    };

    public static JsonObject MultiClusterService(MultiClusterServiceView m) => new()
    {
        ["apiVersion"] = $"{FleetApi.NetworkingGroup}/{FleetApi.MultiClusterServiceVersion}",
        ["kind"] = FleetApi.MultiClusterService,
        ["metadata"] = Metadata(m.Name, m.Namespace, m.CreationTimestamp, m.Cluster),
        ["spec"] = new JsonObject { ["serviceImport"] = new JsonObject { ["name"] = m.ServiceImportName } },
        ["status"] = new JsonObject
        {
            ["loadBalancer"] = new JsonObject
            {
                ["ingress"] = m.ExternalIp is null ? new JsonArray() : new JsonArray(new JsonObject { ["ip"] = m.ExternalIp }),
            },
            ["conditions"] = Conditions(m.Conditions),
            ["backends"] = new JsonArray(m.Backends.Select(b => (JsonNode?)new JsonObject { ["cluster"] = b.Cluster, ["address"] = b.Address }).ToArray()),
            ["loadBalancerInSync"] = m.LoadBalancerInSync,
            ["loadBalancerError"] = m.LoadBalancerError,
        },
    };

    public static JsonObject List(IEnumerable<JsonObject> items) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "List",
        ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
    };

    private static JsonObject Metadata(string name, string ns, DateTimeOffset created, string cluster) => new()
    {
        ["name"] = name,
        ["namespace"] = ns,
        ["creationTimestamp"] = Time(created),
        ["annotations"] = new JsonObject { [FleetAnnotations.MemberCluster] = cluster },
    };

    public static JsonArray Conditions(IEnumerable<Condition> conditions) => new(conditions.Select(c => (JsonNode?)new JsonObject
    {
        ["type"] = c.Type,
        ["status"] = c.Status,
        ["reason"] = c.Reason,
        ["message"] = c.Message,
        ["observedGeneration"] = c.ObservedGeneration,
        ["lastTransitionTime"] = Time(c.LastTransitionTime),
    }).ToArray());

    public static JsonArray Ports(IEnumerable<ServicePort> ports) => new(ports.Select(p => (JsonNode?)new JsonObject
    {
        ["name"] = p.Name,
        ["protocol"] = p.Protocol,
        ["port"] = p.Port,
        ["appProtocol"] = p.AppProtocol,
    }).ToArray());

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
