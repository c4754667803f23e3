using System.Net;
using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Models;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FleetL4.Agent;

/// <summary>
/// Writes the hub's verdicts back into the member with merge patches on the /status subresource: ServiceExport
/// conditions, MultiClusterService load balancer IP and conditions, and a ServiceImport where an MCS imports.
/// A write is skipped when the object already shows that status (no write storms, also after a restart), and a
/// 409 is retried once after a fresh read.
/// </summary>
public sealed class StatusWriter(IKubernetes k8s, ILogger logger)
{
    private readonly Dictionary<NamespacedName, JsonObject> _importsWritten = [];

    public int Writes { get; private set; }

    public async Task ServiceExport(ServiceExportResource export, ServiceExportView view, CancellationToken ct)
    {
        var status = new JsonObject { ["conditions"] = ResourceJson.Conditions(view.Conditions) };
        if (JsonNode.DeepEquals(status, export.Status)) return;
        await Patch(FleetApi.ServiceExports, FleetApi.ServiceExportVersion, export.Metadata.NamespaceProperty, export.Metadata.Name, status, ct);
        export.Status = status;
    }

    public async Task MultiClusterService(MultiClusterServiceResource mcs, MultiClusterServiceView view, CancellationToken ct)
    {
        var status = new JsonObject
        {
            ["loadBalancer"] = new JsonObject
            {
                ["ingress"] = view.ExternalIp is null ? new JsonArray() : new JsonArray(new JsonObject { ["ip"] = view.ExternalIp }),
            },
            ["conditions"] = ResourceJson.Conditions(view.Conditions),
        };
        if (JsonNode.DeepEquals(status, mcs.Status)) return;
        await Patch(FleetApi.MultiClusterServices, FleetApi.MultiClusterServiceVersion, mcs.Metadata.NamespaceProperty, mcs.Metadata.Name, status, ct);
        mcs.Status = status;
    }

    /// <summary>Creates (if needed) and updates the ServiceImport an MCS in namespace <paramref name="ns"/> imports.</summary>
    public async Task ServiceImport(string ns, ServiceImportView view, CancellationToken ct)
    {
        var status = new JsonObject
        {
            ["type"] = view.Info.Type,
            ["sessionAffinity"] = view.Info.SessionAffinity,
            ["ports"] = ResourceJson.Ports(view.Info.Ports),
            ["clusters"] = new JsonArray(view.Info.Clusters.Select(c => (JsonNode?)new JsonObject { ["cluster"] = c }).ToArray()),
        };
        var key = new NamespacedName(ns, view.Name);
        if (_importsWritten.TryGetValue(key, out var written) && JsonNode.DeepEquals(written, status)) return;
        try
        {
            await k8s.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
            {
                ["apiVersion"] = $"{FleetApi.NetworkingGroup}/{FleetApi.ServiceImportVersion}",
                ["kind"] = FleetApi.ServiceImport,
                ["metadata"] = new JsonObject { ["name"] = view.Name, ["namespace"] = ns },
            }, FleetApi.NetworkingGroup, FleetApi.ServiceImportVersion, ns, FleetApi.ServiceImports, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there (AlreadyExists): update its status below.
        }
        await Patch(FleetApi.ServiceImports, FleetApi.ServiceImportVersion, ns, view.Name, status, ct);
        _importsWritten[key] = status;
    }

    private async Task Patch(string plural, string version, string ns, string name, JsonObject status, CancellationToken ct)
    {
        var body = new V1Patch(new JsonObject { ["status"] = status.DeepClone() }.ToJsonString(), V1Patch.PatchType.MergePatch);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await k8s.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, FleetApi.NetworkingGroup, version, ns, plural, name, cancellationToken: ct);
                Writes++;
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict && attempt == 0)
            {
                logger.LogInformation("{Plural} {Namespace}/{Name}: conflict writing status; re-reading", plural, ns, name);
                await k8s.CustomObjects.GetNamespacedCustomObjectAsync(FleetApi.NetworkingGroup, version, ns, plural, name, ct);
            }
        }
    }
}
