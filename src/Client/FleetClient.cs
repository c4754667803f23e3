using System.Runtime.CompilerServices;
using FleetL4.HubApi;
using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Telemetry;
using Grpc.Core;
using V1 = FleetL4.HubApi.V1;

namespace FleetL4.Client;

/// <summary>
/// The hub API as typed calls: the CLI, the member agent and other tools reach the hub only through this. Invalid
/// input surfaces as <see cref="FleetValidationException"/>, a refusal as <see cref="HubRefusedException"/>, and a
/// hub that no URL reaches as <see cref="HubUnreachableException"/>. Creating one opens no connection.
/// </summary>
public sealed class FleetClient : IDisposable
{
    private readonly HubChannels _channels;

    public FleetClient(HubConnectionOptions options) => _channels = new HubChannels(options);

    public HubConnectionOptions Options => _channels.Options;

    /// <summary>Unary calls made (tests and benchmarks count them: an idle member makes none).</summary>
    public int Calls => Volatile.Read(ref _calls);
    private int _calls;

    public void Dispose() => _channels.Dispose();

    // Member clusters
    public async Task<MemberClusterView> JoinClusterAsync(string cluster, IReadOnlyDictionary<string, string>? labels = null, bool isVirtual = false, CancellationToken ct = default)
    {
        var request = new V1.JoinClusterRequest { Cluster = cluster, Virtual = isVirtual };
        foreach (var (k, v) in labels ?? new Dictionary<string, string>()) request.Labels[k] = v;
        return (await Call((hub, o) => hub.JoinClusterAsync(request, o), ct)).Model();
    }

    public Task LeaveClusterAsync(string cluster, CancellationToken ct = default) =>
        Call((hub, o) => hub.LeaveClusterAsync(new V1.ClusterRequest { Cluster = cluster }, o), ct);

    public Task HeartbeatAsync(string cluster, CancellationToken ct = default) =>
        Call((hub, o) => hub.HeartbeatAsync(new V1.ClusterRequest { Cluster = cluster }, o), ct);

    public async Task<MemberClusterView> GetMemberClusterAsync(string cluster, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.GetMemberClusterAsync(new V1.ClusterRequest { Cluster = cluster }, o), ct)).Model();

    /// <summary>Every joined cluster (admins), or the caller's own (members); <paramref name="cluster"/> names one.</summary>
    public async Task<IReadOnlyList<MemberClusterView>> ListMemberClustersAsync(string? cluster = null, CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.ListMemberClustersAsync(List(cluster, null), o), ct)).Items.Select(m => m.Model())];

    /// <summary>Many of one member's objects in one call; each is taken or refused on its own (see <see cref="MemberSyncResult.Rejected"/>).</summary>
    public async Task<MemberSyncResult> SyncAsync(string cluster, MemberChanges changes, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.SyncAsync(changes.Wire(cluster), o), ct)).Model();

    /// <summary>What one member sends, batched: for <see cref="MemberSync"/>.</summary>
    public IMemberHub MemberHub(string cluster) => new ApiMemberHub(this, cluster);

    /// <summary>
    /// The cluster's status stream: a snapshot (the first message has Resync set), then each change. Enumerating it
    /// keeps the cluster heartbeating; it ends when <paramref name="ct"/> is cancelled or the hub goes.
    /// </summary>
    public async IAsyncEnumerable<StatusUpdate> WatchStatusAsync(string cluster, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var (channel, index) = _channels.At(0);
        using var call = new V1.Hub.HubClient(channel).WatchStatus(new V1.ClusterRequest { Cluster = cluster }, cancellationToken: ct);
        var stream = call.ResponseStream;
        while (true)
        {
            try
            {
                if (!await stream.MoveNext(ct)) yield break;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                yield break;
            }
            catch (RpcException ex)
            {
                if (HubChannels.IsUnreachable(ex)) _channels.Answered((index + 1) % _channels.Count); // the next attempt tries the next hub
                throw Translate(ex);
            }
            _channels.Answered(index);
            var batch = stream.Current;
            yield return new StatusUpdate(batch.Resync, [.. batch.Exports.Select(e => e.Model())], [.. batch.MultiClusterServices.Select(m => m.Model())],
                [.. batch.ResendExports.Select(n => n.Model())], batch.WorkChanged);
        }
    }

    // ServiceExports (with the Service and endpoints they export)
    public async Task<ServiceExportView> ReportServiceExportAsync(string cluster, ServiceExportReport report, CancellationToken ct = default) =>
        Single(await SyncAsync(cluster, new MemberChanges([report], [], [], []), ct)).Exports[0];

    public async Task RemoveServiceExportAsync(string cluster, string ns, string name, CancellationToken ct = default) =>
        Single(await SyncAsync(cluster, new MemberChanges([], [new NamespacedName(ns, name)], [], []), ct));

    public async Task<ServiceExportView> GetServiceExportAsync(string cluster, string ns, string name, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.GetServiceExportAsync(Ref(cluster, ns, name), o), ct)).Model();

    /// <summary>Every export, optionally of one cluster and/or namespace.</summary>
    public async Task<IReadOnlyList<ServiceExportView>> ListServiceExportsAsync(string? cluster = null, string? ns = null, CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.ListServiceExportsAsync(List(cluster, ns), o), ct)).Items.Select(e => e.Model())];

    // ServiceImports
    public async Task<ServiceImportView> GetServiceImportAsync(string ns, string name, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.GetServiceImportAsync(Ref("", ns, name), o), ct)).Model();

    public async Task<IReadOnlyList<ServiceImportView>> ListServiceImportsAsync(string? ns = null, CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.ListServiceImportsAsync(List(null, ns), o), ct)).Items.Select(i => i.Model())];

    // MultiClusterServices
    public async Task<MultiClusterServiceView> ApplyMultiClusterServiceAsync(string cluster, MultiClusterServiceSpec spec, CancellationToken ct = default) =>
        Single(await SyncAsync(cluster, new MemberChanges([], [], [spec], []), ct)).MultiClusterServices[0];

    public async Task DeleteMultiClusterServiceAsync(string cluster, string ns, string name, CancellationToken ct = default) =>
        Single(await SyncAsync(cluster, new MemberChanges([], [], [], [new NamespacedName(ns, name)]), ct));

    public async Task<MultiClusterServiceView> GetMultiClusterServiceAsync(string cluster, string ns, string name, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.GetMultiClusterServiceAsync(Ref(cluster, ns, name), o), ct)).Model();

    /// <summary>The MCS with what the load balancer provider holds for it (Azure resources, last write).</summary>
    public async Task<MultiClusterServiceView> DescribeMultiClusterServiceAsync(string cluster, string ns, string name, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.DescribeMultiClusterServiceAsync(Ref(cluster, ns, name), o), ct)).Model();

    public async Task<IReadOnlyList<MultiClusterServiceView>> ListMultiClusterServicesAsync(string? cluster = null, string? ns = null, CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.ListMultiClusterServicesAsync(List(cluster, ns), o), ct)).Items.Select(m => m.Model())];

    /// <summary>Sets and removes labels of a virtual member.</summary>
    public async Task<MemberClusterView> LabelClusterAsync(string cluster, IReadOnlyDictionary<string, string> set, IReadOnlyList<string> remove, CancellationToken ct = default)
    {
        var request = new V1.LabelClusterRequest { Cluster = cluster };
        foreach (var (key, value) in set) request.Set[key] = value;
        request.Remove.AddRange(remove);
        return (await Call((hub, o) => hub.LabelClusterAsync(request, o), ct)).Model();
    }

    // ClusterResourcePlacements and the work they put on members
    public async Task<PlacementView> GetPlacementAsync(string name, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.GetPlacementAsync(new V1.PlacementRequest { Name = name }, o), ct)).Model();

    public async Task<IReadOnlyList<PlacementView>> ListPlacementsAsync(CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.ListPlacementsAsync(new Google.Protobuf.WellKnownTypes.Empty(), o), ct)).Items.Select(p => p.Model())];

    /// <summary>What placements put on this member (read when its status stream says <see cref="StatusUpdate.WorkChanged"/>).</summary>
    public async Task<ClusterWork> GetWorkAsync(string cluster, CancellationToken ct = default) =>
        (await Call((hub, o) => hub.GetWorkAsync(new V1.ClusterRequest { Cluster = cluster }, o), ct)).Model();

    public async Task ReportWorkAsync(string cluster, ClusterWorkReport report, CancellationToken ct = default) =>
        await Call((hub, o) => hub.ReportWorkAsync(report.Wire(cluster), o), ct);

    // Objects of virtual member clusters (embedded mode), or of the hub itself when cluster is null or empty
    public async Task<IReadOnlyList<ManifestResult>> ApplyManifestsAsync(string? cluster, IReadOnlyList<ManifestObject> objects, CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.ApplyManifestsAsync(Manifests(cluster, objects), o), ct)).Items.Select(r => r.Model())];

    public async Task<IReadOnlyList<ManifestResult>> DeleteManifestsAsync(string? cluster, IReadOnlyList<ManifestObject> objects, CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.DeleteManifestsAsync(Manifests(cluster, objects), o), ct)).Items.Select(r => r.Model())];

    public async Task<IReadOnlyList<ManifestObject>> ListManifestsAsync(string? cluster, CancellationToken ct = default) =>
        [.. (await Call((hub, o) => hub.ListManifestsAsync(new V1.ClusterRequest { Cluster = cluster ?? "" }, o), ct)).Items.Select(m => m.Model())];

    private static V1.ObjectRequest Ref(string cluster, string ns, string name) => new() { Cluster = cluster, Namespace = ns, Name = name };

    private static V1.ListRequest List(string? cluster, string? ns) => new() { Cluster = cluster ?? "", Namespace = ns ?? "" };

    private static V1.ManifestRequest Manifests(string? cluster, IReadOnlyList<ManifestObject> objects)
    {
        var request = new V1.ManifestRequest { Cluster = cluster ?? "" };
        request.Objects.AddRange(objects.Select(o => o.Wire()));
        return request;
    }

    private static MemberSyncResult Single(MemberSyncResult result) =>
        result.Rejected.Count > 0 ? throw result.Rejected[0].ToException() : result;

    /// <summary>One unary call: tried on each hub in turn while they are unreachable, then errors in the caller's terms.
    /// It is a span (under the caller's, if any) whose context the request carries, so the hub's trace continues it.</summary>
    private async Task<T> Call<T>(Func<V1.Hub.HubClient, CallOptions, AsyncUnaryCall<T>> call, CancellationToken ct, [CallerMemberName] string method = "")
    {
        Interlocked.Increment(ref _calls);
        using var span = FleetActivities.HubCall(method.Replace("Async", "", StringComparison.Ordinal));
        RpcException? last = null;
        for (var attempt = 0; attempt < _channels.Count; attempt++)
        {
            var (channel, index) = _channels.At(attempt);
            try
            {
                var result = await call(new V1.Hub.HubClient(channel), new CallOptions(deadline: DateTime.UtcNow + Options.CallTimeout, cancellationToken: ct));
                _channels.Answered(index);
                return result;
            }
            catch (RpcException ex) when (HubChannels.IsUnreachable(ex) && !ct.IsCancellationRequested)
            {
                last = ex;
            }
            catch (RpcException ex)
            {
                span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Status.Detail);
                throw Translate(ex);
            }
        }
        span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, last!.Status.Detail);
        throw Translate(last!);
    }

    private Exception Translate(RpcException ex) => ex.StatusCode switch
    {
        StatusCode.InvalidArgument => HubErrors.Validation(ex)!,
        StatusCode.NotFound => new NotFoundException(ex.Status.Detail),
        StatusCode.PermissionDenied => new HubRefusedException("Forbidden", ex.Status.Detail),
        StatusCode.Unauthenticated => new HubRefusedException("Unauthorized", ex.Status.Detail),
        // The hub answered but cannot do it now (a silo going away, its storage down): its own words.
        StatusCode.Unavailable when ex.Status.DebugException is null => new HubUnreachableException($"the FleetL4 hub answered: {ex.Status.Detail}", ex),
        StatusCode.Unavailable => new HubUnreachableException(
            $"cannot reach the FleetL4 hub at {_channels.Describe()}: {Reason(ex)}; is it running? (set --hub or {HubConnectionOptions.HubVariable})", ex),
        StatusCode.DeadlineExceeded => new HubUnreachableException($"the hub did not answer within {Options.CallTimeout.TotalSeconds:0} s", ex),
        // The call never left: no TLS session (an untrusted hub certificate, a refused client certificate).
        StatusCode.Internal when ex.Status.DebugException is HttpRequestException => new HubUnreachableException(
            $"cannot connect to the FleetL4 hub at {_channels.Describe()}: {Reason(ex)}", ex),
        _ => new HubUnreachableException($"the hub failed the call ({ex.StatusCode}): {ex.Status.Detail}", ex),
    };

    private static string Reason(RpcException ex) => ex.Status.DebugException switch
    {
        { InnerException: { } inner } debug => $"{debug.Message.Replace(", see inner exception", "", StringComparison.Ordinal)} ({inner.Message})",
        { } debug => debug.Message,
        null => ex.Status.Detail,
    };
}
