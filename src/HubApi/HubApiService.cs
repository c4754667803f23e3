using FleetL4.Members;
using FleetL4.Models;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using FleetL4.Runtime;
using FleetL4.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V1 = FleetL4.HubApi.V1;

namespace FleetL4.HubApi;

/// <summary>
/// The hub API. Each call first finds its caller and checks what the caller may do (refusals are PermissionDenied,
/// logged, and change nothing), then calls the grains through <see cref="FleetGrains"/>.
/// </summary>
public sealed class HubApiService(
    FleetGrains fleet,
    HubIdentity identity,
    IHostApplicationLifetime lifetime,
    [FromKeyedServices(GrainClock.Key)] TimeProvider leaseClock,
    ILogger<HubApiService> logger)
    : V1.Hub.HubBase
{
    private static readonly Empty Done = new();

    public override Task<V1.MemberCluster> JoinCluster(V1.JoinClusterRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "join", request.Cluster);
        if (request.Virtual) Admin(caller, $"join cluster \"{request.Cluster}\" as a virtual member");
        return (await fleet.JoinClusterAsync(request.Cluster, request.Labels, request.Virtual)).Wire();
    });

    public override Task<Empty> LeaveCluster(V1.ClusterRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        // Removing a cluster (and everything it created) is the fleet operator's decision, not the member's.
        Admin(caller, $"remove cluster \"{request.Cluster}\" from the fleet");
        await fleet.LeaveClusterAsync(request.Cluster);
        return Done;
    });

    public override Task<Empty> Heartbeat(V1.ClusterRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "heartbeat for", request.Cluster);
        await fleet.HeartbeatAsync(request.Cluster);
        return Done;
    });

    public override Task<V1.MemberCluster> GetMemberCluster(V1.ClusterRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "read", request.Cluster);
        return (await fleet.GetMemberClusterAsync(request.Cluster)).Wire();
    });

    public override Task<V1.MemberClusterList> ListMemberClusters(V1.ListRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        var scope = Scope(caller, request.Cluster);
        var list = new V1.MemberClusterList();
        var members = scope is null ? await fleet.ListMemberClustersAsync() : [await fleet.GetMemberClusterAsync(scope)];
        list.Items.AddRange(members.Where(m => m.Joined).Select(m => m.Wire()));
        return list;
    });

    public override Task<V1.SyncResponse> Sync(V1.SyncRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "report objects for", request.Cluster);
        var changes = request.Model();
        using var ingest = Ingest("sync", request.Cluster, changes.Count);
        return (await fleet.SyncAsync(request.Cluster, changes)).Wire();
    });

    public override async Task WatchStatus(V1.ClusterRequest request, IServerStreamWriter<V1.StatusBatch> responseStream, ServerCallContext context)
    {
        await Call(context, async caller =>
        {
            Member(caller, "watch", request.Cluster);
            // The stream ends when the member goes, or when this silo stops (it must not hold up the shutdown).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
            try
            {
                await new StatusStream(fleet, request.Cluster, responseStream, leaseClock).RunAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            return Done;
        });
    }

    public override Task<V1.ServiceExport> GetServiceExport(V1.ObjectRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "read", request.Cluster);
        return (await fleet.GetServiceExportAsync(request.Cluster, request.Namespace, request.Name)).Wire();
    });

    public override Task<V1.ServiceExportList> ListServiceExports(V1.ListRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        var list = new V1.ServiceExportList();
        list.Items.AddRange((await fleet.ListServiceExportsAsync(Scope(caller, request.Cluster), OrAll(request.Namespace))).Select(e => e.Wire()));
        return list;
    });

    public override Task<V1.ServiceImport> GetServiceImport(V1.ObjectRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        var view = await fleet.GetServiceImportAsync(request.Namespace, request.Name);
        // Reading is side-effect free: the check needs the import's own list of who imports it.
        if (HubAuthorization.ImportRefusal(caller, new NamespacedName(request.Namespace, request.Name), view.MultiClusterServices) is { } refusal)
            throw Refuse(caller, refusal);
        return view.Wire();
    });

    public override Task<V1.ServiceImportList> ListServiceImports(V1.ListRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        var list = new V1.ServiceImportList();
        var imports = await fleet.ListServiceImportsAsync(OrAll(request.Namespace));
        list.Items.AddRange(imports.Where(i => caller.IsAdmin || i.MultiClusterServices.Any(m => m.Cluster == caller.Name)).Select(i => i.Wire()));
        return list;
    });

    public override Task<V1.MultiClusterService> GetMultiClusterService(V1.ObjectRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "read", request.Cluster);
        return (await fleet.GetMultiClusterServiceAsync(request.Cluster, request.Namespace, request.Name)).Wire();
    });

    public override Task<V1.MultiClusterService> DescribeMultiClusterService(V1.ObjectRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "read", request.Cluster);
        return (await fleet.DescribeMultiClusterServiceAsync(request.Cluster, request.Namespace, request.Name)).Wire();
    });

    public override Task<V1.MultiClusterServiceList> ListMultiClusterServices(V1.ListRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        var list = new V1.MultiClusterServiceList();
        list.Items.AddRange((await fleet.ListMultiClusterServicesAsync(Scope(caller, request.Cluster), OrAll(request.Namespace))).Select(m => m.Wire()));
        return list;
    });

    public override Task<V1.MemberCluster> LabelCluster(V1.LabelClusterRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Admin(caller, $"label cluster \"{request.Cluster}\"");
        return (await fleet.LabelClusterAsync(request.Cluster, request.Set, [.. request.Remove])).Wire();
    });

    public override Task<V1.Placement> GetPlacement(V1.PlacementRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Admin(caller, $"read clusterresourceplacement \"{request.Name}\"");
        var view = await fleet.GetPlacementAsync(request.Name);
        return view.Exists ? view.Wire() : throw new RpcException(new Status(StatusCode.NotFound, $"clusterresourceplacements.{PlacementApi.Group} \"{request.Name}\" not found"));
    });

    public override Task<V1.PlacementList> ListPlacements(Empty request, ServerCallContext context) => Call(context, async caller =>
    {
        Admin(caller, "list clusterresourceplacements");
        var list = new V1.PlacementList();
        list.Items.AddRange((await fleet.ListPlacementsAsync()).Select(p => p.Wire()));
        return list;
    });

    public override Task<V1.ClusterWork> GetWork(V1.ClusterRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "read the work of", request.Cluster);
        return (await fleet.GetWorkAsync(request.Cluster)).Wire();
    });

    public override Task<Empty> ReportWork(V1.WorkReportRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Member(caller, "report the work of", request.Cluster);
        await fleet.ReportWorkAsync(request.Cluster, request.Model());
        return Done;
    });

    public override Task<V1.ManifestResultList> ApplyManifests(V1.ManifestRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Admin(caller, request.Cluster.Length == 0 ? "apply manifests to the hub" : $"apply manifests to virtual cluster \"{request.Cluster}\"");
        using var ingest = Ingest("apply", request.Cluster, request.Objects.Count);
        ManifestObject[] objects = [.. request.Objects.Select(o => o.Model())];
        ManifestBounds.Check(objects);
        return Results(await fleet.ApplyManifestsAsync(request.Cluster, objects));
    });

    public override Task<V1.ManifestResultList> DeleteManifests(V1.ManifestRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Admin(caller, request.Cluster.Length == 0 ? "delete manifests from the hub" : $"delete manifests from virtual cluster \"{request.Cluster}\"");
        using var ingest = Ingest("delete", request.Cluster, request.Objects.Count);
        ManifestObject[] objects = [.. request.Objects.Select(o => o.Model())];
        ManifestBounds.Check(objects);
        return Results(await fleet.DeleteManifestsAsync(request.Cluster, objects));
    });

    public override Task<V1.ManifestList> ListManifests(V1.ClusterRequest request, ServerCallContext context) => Call(context, async caller =>
    {
        Admin(caller, request.Cluster.Length == 0 ? "read the hub's objects" : $"read virtual cluster \"{request.Cluster}\"");
        var list = new V1.ManifestList();
        list.Items.AddRange((await fleet.ListManifestsAsync(request.Cluster)).Select(o => o.Wire()));
        return list;
    });

    private static V1.ManifestResultList Results(IEnumerable<ManifestResult> results)
    {
        var list = new V1.ManifestResultList();
        list.Items.AddRange(results.Select(r => r.Wire()));
        return list;
    }

    /// <summary>A member's changes come in: a span for taking them in, and the time the hub received them, which the
    /// grain calls made from here carry to the provider call (fleetl4.propagation.duration).</summary>
    private static System.Diagnostics.Activity? Ingest(string operation, string cluster, int objects)
    {
        ChangeReceipt.Stamp();
        return FleetActivities.Ingest(operation, cluster, objects);
    }

    private static string? OrAll(string value) => value.Length == 0 ? null : value;

    private string? Scope(HubCaller caller, string cluster)
    {
        if (OrAll(cluster) is { } named) Member(caller, "read", named);
        return HubAuthorization.ListScope(caller, OrAll(cluster));
    }

    private void Member(HubCaller caller, string action, string cluster)
    {
        if (HubAuthorization.Refusal(caller, action, cluster) is { } refusal) throw Refuse(caller, refusal);
    }

    private void Admin(HubCaller caller, string action)
    {
        if (HubAuthorization.AdminRefusal(caller, action) is { } refusal) throw Refuse(caller, refusal);
    }

    private RpcException Refuse(HubCaller caller, string refusal)
    {
        logger.LogWarning("Refused: {Refusal}", refusal);
        return new RpcException(new Status(StatusCode.PermissionDenied, refusal));
    }

    /// <summary>Authenticates, runs the call, and maps the hub's errors onto gRPC status codes.</summary>
    private async Task<T> Call<T>(ServerCallContext context, Func<HubCaller, Task<T>> call)
    {
        var (caller, error) = identity.Resolve(context.GetHttpContext());
        if (caller is null)
        {
            logger.LogWarning("Unauthenticated call from {Peer}: {Error}", context.Peer, error);
            throw new RpcException(new Status(StatusCode.Unauthenticated, error!));
        }
        try
        {
            return await call(caller);
        }
        catch (FleetValidationException ex)
        {
            throw HubErrors.Invalid(ex);
        }
        catch (TimeoutException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the hub did not answer in time: {ex.Message}"));
        }
        catch (StorageUnavailableException ex)
        {
            logger.LogWarning("A call failed on the hub's storage: {Error}", ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
        catch (Exception ex) when (StorageFailure(ex) is { } storage)
        {
            // A grain that could not even read its state (activation), so no filter of the grain saw it.
            logger.LogWarning("A grain could not load its state: {Error}", storage.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"the hub's storage is unavailable; retry: {FirstLine(storage.Message)}"));
        }
        catch (OrleansMessageRejectionException ex)
        {
            // A silo that just died (or is still being declared dead): the call did not run; another try will.
            logger.LogWarning("A call was rejected by the silos: {Error}", ex.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, $"a silo of the hub is unavailable; retry: {FirstLine(ex.Message)}"));
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            // Not gRPC's "Exception was thrown by handler": the caller learns what failed, the log has the rest.
            logger.LogError(ex, "A hub call failed");
            throw new RpcException(new Status(StatusCode.Internal, $"the hub failed the call: {ex.GetType().Name}: {FirstLine(ex.Message)}"));
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>An Azure Storage failure anywhere in the chain (HubApi does not link the Azure SDK, so by name).</summary>
    private static Exception? StorageFailure(Exception? ex) => ex switch
    {
        null => null,
        _ when ex.GetType().FullName == "Azure.RequestFailedException" => ex,
        AggregateException all => all.InnerExceptions.Select(StorageFailure).FirstOrDefault(f => f is not null),
        _ => StorageFailure(ex.InnerException),
    };
}
