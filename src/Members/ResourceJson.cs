using System.Globalization;
using System.Text.Json.Nodes;
using FleetL4.Models;

namespace FleetL4.Members;

/// <summary>
/// Objects in the shape of their CRDs (apiVersion, kind, metadata, spec, status) with only the fields the CRDs
/// define, for `fleetl4 get -o json|yaml` and for the statuses the agent writes into members (one shape for both).
/// Keys whose value would be null are left out, as the API server leaves out empty optional fields; what the CRDs
/// have no field for (weights, endpoints, backends, load balancer sync) is shown by `describe` and `-o wide`.
/// </summary>
public static class ResourceJson
{
    /// <summary>The type of the agent entry in a MemberCluster's status.agentStatus (Fleet's member agent).</summary>
    public const string MemberAgentType = "MemberAgent";

    /// <summary>Kubernetes' default ClientIP session affinity timeout (3 hours).</summary>
    public const int DefaultClientIpTimeoutSeconds = 10800;

    /// <summary>status.loadBalancer.ingress[].ipMode of a frontend that receives traffic for its own IP and port.</summary>
    public const string IpModeVip = "VIP";

    public static JsonObject MemberCluster(MemberClusterView m) => WithoutNulls(new JsonObject
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
            ["agentStatus"] = m.LastHeartbeat is { } heartbeat
                ? new JsonArray(new JsonObject { ["type"] = MemberAgentType, ["lastReceivedHeartbeat"] = Time(heartbeat) })
                : null,
        },
    });

    public static JsonObject ServiceExport(ServiceExportView e) => WithoutNulls(new JsonObject
    {
        ["apiVersion"] = FleetApi.ServiceExportApiVersion,
        ["kind"] = FleetApi.ServiceExport,
        ["metadata"] = Metadata(e.Name, e.Namespace, e.CreationTimestamp, e.Cluster),
        ["status"] = ServiceExportStatus(e),
    });

    public static JsonObject ServiceImport(ServiceImportView i) => WithoutNulls(new JsonObject
    {
        ["apiVersion"] = FleetApi.ServiceImportApiVersion,
        ["kind"] = FleetApi.ServiceImport,
        ["metadata"] = Metadata(i.Name, i.Namespace, i.CreationTimestamp, cluster: null),
        ["status"] = ServiceImportStatus(i.Info),
    });

    public static JsonObject MultiClusterService(MultiClusterServiceView m) => WithoutNulls(new JsonObject
    {
        ["apiVersion"] = FleetApi.MultiClusterServiceApiVersion,
        ["kind"] = FleetApi.MultiClusterService,
        ["metadata"] = Metadata(m.Name, m.Namespace, m.CreationTimestamp, m.Cluster),
        ["spec"] = m.ServiceImportName.Length == 0
            ? new JsonObject()
            : new JsonObject { ["serviceImport"] = new JsonObject { ["name"] = m.ServiceImportName } },
        ["status"] = MultiClusterServiceStatus(m),
    });

    /// <summary>status of a ServiceExport: its conditions.</summary>
    public static JsonObject ServiceExportStatus(ServiceExportView e) => WithoutNulls(new JsonObject { ["conditions"] = Conditions(e.Conditions) });

    /// <summary>status of a MultiClusterService: <c>loadBalancer: {}</c> without a frontend, else its ingress.</summary>
    public static JsonObject MultiClusterServiceStatus(MultiClusterServiceView m) => WithoutNulls(new JsonObject
    {
        ["loadBalancer"] = m.ExternalIp is null
            ? new JsonObject()
            : new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = m.ExternalIp, ["ipMode"] = IpModeVip }) },
        ["conditions"] = Conditions(m.Conditions),
    });

    /// <summary>status of a ServiceImport. No <c>ips</c>: FleetL4 has no clusterset IP (the MCS frontend is the address).</summary>
    public static JsonObject ServiceImportStatus(ImportInfo info) => WithoutNulls(new JsonObject
    {
        ["type"] = info.Type,
        ["ports"] = Ports(info.Ports),
        ["sessionAffinity"] = info.SessionAffinity,
        ["sessionAffinityConfig"] = info.SessionAffinity == "ClientIP"
            ? new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = DefaultClientIpTimeoutSeconds } }
            : null,
        ["clusters"] = new JsonArray(info.Clusters.Select(c => (JsonNode?)new JsonObject { ["cluster"] = c }).ToArray()),
    });

    public static JsonObject List(IEnumerable<JsonObject> items) => new()
    {
        ["apiVersion"] = FleetApi.CoreV1,
        ["kind"] = "List",
        ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
    };

    /// <summary>metadata of an object printed by the hub; <paramref name="cluster"/> (an annotation) names its member.</summary>
    private static JsonObject Metadata(string name, string ns, DateTimeOffset created, string? cluster) => new()
    {
        ["name"] = name,
        ["namespace"] = ns,
        ["creationTimestamp"] = created == default ? null : Time(created),
        ["annotations"] = cluster is null ? null : new JsonObject { [FleetAnnotations.MemberCluster] = cluster },
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

    /// <summary>ServiceImport ports in the winning Service's order; targetPort only where it is not the port itself.</summary>
    private static JsonArray Ports(IEnumerable<ServicePort> ports) => new(ports.Select(p => (JsonNode?)new JsonObject
    {
        ["name"] = p.Name,
        ["protocol"] = p.Protocol,
        ["appProtocol"] = p.AppProtocol,
        ["port"] = p.Port,
        ["targetPort"] = p.TargetPort != 0 && p.TargetPort != p.Port ? p.TargetPort : null,
    }).ToArray());

    /// <summary>RFC 3339 in UTC with seconds, as metav1.Time.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The object without its null-valued keys, at every depth.</summary>
    private static JsonObject WithoutNulls(JsonObject o)
    {
        foreach (var (key, value) in o.ToArray())
        {
            if (value is null) o.Remove(key);
            else if (value is JsonObject child) WithoutNulls(child);
            else if (value is JsonArray array)
                foreach (var item in array.OfType<JsonObject>()) WithoutNulls(item);
        }
        return o;
    }
}
