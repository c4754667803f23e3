using FleetL4.Models;

namespace FleetL4.HubApi;

/// <summary>
/// The hub's grains as one typed facade, in-process: the hub API serves every call through this, and the hub's own
/// embedded tools (and grain tests) use it directly. Invalid input surfaces as <see cref="FleetValidationException"/>.
/// </summary>
public sealed class FleetGrains(IGrainFactory grains)
{
    private readonly HubObjects _hub = new(grains);

    public IGrainFactory Factory => grains;

    // Member clusters
    /// <param name="isVirtual">Embedded mode: the member's objects are applied to the hub (fleetl4 apply), so the hub
    /// holds its lease. Members with an agent join with false and heartbeat.</param>
    public Task<MemberClusterView> JoinClusterAsync(string cluster, IReadOnlyDictionary<string, string>? labels = null, bool isVirtual = false) =>
        Member(cluster).Join(labels ?? new Dictionary<string, string>(), isVirtual);

    public Task LeaveClusterAsync(string cluster) => Member(cluster).Leave();

    public Task HeartbeatAsync(string cluster) => Member(cluster).Heartbeat();

    public Task<MemberClusterView> GetMemberClusterAsync(string cluster) => Member(cluster).Get();

    public async Task<IReadOnlyList<MemberClusterView>> ListMemberClustersAsync()
    {
        var names = await grains.GetGrain<IFleetDirectoryGrain>(GrainKeys.Directory).List();
        return await Task.WhenAll(names.Select(GetMemberClusterAsync));
    }

    /// <summary>Many of one member's objects in one call; each is taken or refused on its own.</summary>
    public Task<MemberSyncResult> SyncAsync(string cluster, MemberChanges changes) => Member(cluster).Sync(changes);

    // ServiceExports (with the Service and endpoints they export)
    public async Task<ServiceExportView> ReportServiceExportAsync(string cluster, ServiceExportReport report)
    {
        var result = Single(await SyncAsync(cluster, new MemberChanges([report], [], [], [])));
        return result.Exports[0];
    }

    public async Task RemoveServiceExportAsync(string cluster, string ns, string name) =>
        Single(await SyncAsync(cluster, new MemberChanges([], [new NamespacedName(ns, name)], [], [])));

    public Task<ServiceExportView> GetServiceExportAsync(string cluster, string ns, string name) =>
        grains.GetGrain<IServiceExportGrain>(GrainKeys.Export(cluster, ns, name)).Get();

    /// <summary>Every export, optionally of one cluster and/or namespace.</summary>
    public async Task<IReadOnlyList<ServiceExportView>> ListServiceExportsAsync(string? cluster = null, string? ns = null)
    {
        var members = await Members(cluster);
        var keys = members.SelectMany(m => m.ServiceExports.Select(k => (m.Name, Key: k)))
            .Where(e => ns is null || e.Key.Namespace == ns);
        return await Task.WhenAll(keys.Select(e => GetServiceExportAsync(e.Name, e.Key.Namespace, e.Key.Name)));
    }

    // ServiceImports
    public Task<ServiceImportView> GetServiceImportAsync(string ns, string name) =>
        grains.GetGrain<IServiceImportGrain>(GrainKeys.Import(ns, name)).Get();

    /// <summary>Every import that some cluster exports, optionally of one namespace.</summary>
    public async Task<IReadOnlyList<ServiceImportView>> ListServiceImportsAsync(string? ns = null)
    {
        var members = await Members(null);
        var names = members.SelectMany(m => m.ServiceExports)
            .Where(k => ns is null || k.Namespace == ns)
            .Distinct().Order();
        return await Task.WhenAll(names.Select(k => GetServiceImportAsync(k.Namespace, k.Name)));
    }

    // MultiClusterServices
    public async Task<MultiClusterServiceView> ApplyMultiClusterServiceAsync(string cluster, MultiClusterServiceSpec spec)
    {
        var result = Single(await SyncAsync(cluster, new MemberChanges([], [], [spec], [])));
        return result.MultiClusterServices[0];
    }

    public async Task DeleteMultiClusterServiceAsync(string cluster, string ns, string name) =>
        Single(await SyncAsync(cluster, new MemberChanges([], [], [], [new NamespacedName(ns, name)])));

    /// <summary>The MCS with what the load balancer provider holds for it (Azure resources, last write).</summary>
    public Task<MultiClusterServiceView> DescribeMultiClusterServiceAsync(string cluster, string ns, string name) =>
        grains.GetGrain<IMultiClusterServiceGrain>(GrainKeys.MultiClusterService(cluster, ns, name)).Describe();

    public Task<MultiClusterServiceView> GetMultiClusterServiceAsync(string cluster, string ns, string name) =>
        grains.GetGrain<IMultiClusterServiceGrain>(GrainKeys.MultiClusterService(cluster, ns, name)).Get();

    public async Task<IReadOnlyList<MultiClusterServiceView>> ListMultiClusterServicesAsync(string? cluster = null, string? ns = null)
    {
        var members = await Members(cluster);
        var keys = members.SelectMany(m => m.MultiClusterServices.Select(k => (m.Name, Key: k)))
            .Where(e => ns is null || e.Key.Namespace == ns);
        return await Task.WhenAll(keys.Select(e => GetMultiClusterServiceAsync(e.Name, e.Key.Namespace, e.Key.Name)));
    }

    /// <summary>Sets and removes labels of a virtual member; placements schedule again.</summary>
    public Task<MemberClusterView> LabelClusterAsync(string cluster, IReadOnlyDictionary<string, string> set, IReadOnlyList<string> remove) =>
        Member(cluster).Label(set, remove);

    // Virtual member clusters (embedded mode), or the hub's own objects (cluster null or empty)
    /// <summary>Applies Kubernetes objects to a virtual member, or to the hub; all are checked before any is stored.</summary>
    public Task<IReadOnlyList<ManifestResult>> ApplyManifestsAsync(string? cluster, IReadOnlyList<ManifestObject> objects) =>
        string.IsNullOrEmpty(cluster) ? _hub.ApplyAsync(objects) : grains.GetGrain<IVirtualClusterGrain>(cluster).Apply(objects);

    public Task<IReadOnlyList<ManifestResult>> DeleteManifestsAsync(string? cluster, IReadOnlyList<ManifestObject> objects) =>
        string.IsNullOrEmpty(cluster) ? _hub.DeleteAsync(objects) : grains.GetGrain<IVirtualClusterGrain>(cluster).Delete(objects);

    public Task<IReadOnlyList<ManifestObject>> ListManifestsAsync(string? cluster) =>
        string.IsNullOrEmpty(cluster) ? _hub.ListAsync() : grains.GetGrain<IVirtualClusterGrain>(cluster).List();

    // ClusterResourcePlacements and the work they put on members
    public Task<PlacementView> GetPlacementAsync(string name) => grains.GetGrain<IPlacementGrain>(name).Get();

    public async Task<IReadOnlyList<PlacementView>> ListPlacementsAsync()
    {
        var names = await grains.GetGrain<IHubDirectoryGrain>(GrainKeys.Hub).Placements();
        var views = await Task.WhenAll(names.Order(StringComparer.Ordinal).Select(GetPlacementAsync));
        return [.. views.Where(v => v.Exists)];
    }

    public Task<ClusterWork> GetWorkAsync(string cluster) => grains.GetGrain<IPlacedWorkGrain>(cluster).Get();

    public Task ReportWorkAsync(string cluster, ClusterWorkReport report) => grains.GetGrain<IPlacedWorkGrain>(cluster).Report(report);

    /// <summary>A one-object call refused: the same error a single call would raise.</summary>
    private static MemberSyncResult Single(MemberSyncResult result) =>
        result.Rejected.Count > 0 ? throw result.Rejected[0].ToException() : result;

    private IMemberClusterGrain Member(string cluster) => grains.GetGrain<IMemberClusterGrain>(cluster);

    private async Task<IReadOnlyList<MemberClusterView>> Members(string? cluster) =>
        cluster is null ? await ListMemberClustersAsync() : [await GetMemberClusterAsync(cluster)];
}
