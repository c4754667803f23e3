using FleetL4.Models;

namespace FleetL4.Benchmarks;

/// <summary>
/// The simulated fleet: names, creation timestamps and the current endpoint list of every (cluster, service)
/// export. The hub runs in this process but gets its own copy of every report (over gRPC), so the driver keeps
/// no endpoint arrays: each export's current endpoints follow from its replacement count (plus the few addresses
/// the latency samples added), and are built only to be sent. The memory measured is then the hub's.
/// <para>
/// Addresses: export slot <c>g = ((cluster * services) + service) * endpoints + k</c> starts at
/// <c>10.0.0.0 + g</c>; its v-th replacement is <c>10.0.0.0 + v * totalSlots + g</c> (wrapping below 200.0.0.0),
/// so every replacement really changes the backend set. Endpoints added by latency samples come from 200.0.0.0 up.
/// </para>
/// </summary>
public sealed class Workload
{
    public const string Namespace = "bench";
    public const string McsCluster = "cluster-0";
    public const int McsClusterIndex = 0;
    private const uint ReplacementBase = 0x0A00_0000;   // 10.0.0.0
    private const long ReplacementSpace = 190L << 24;   // 10.0.0.0 .. 199.255.255.255
    private const uint AddedBase = 0xC800_0000;         // 200.0.0.0

    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One Service shape for every export: all clusters agree, so there are no conflicts.</summary>
    private static readonly ExportedService Service = new("ClusterIP", "10.96.0.10", [new ServicePort("http", "TCP", 8080)]);

    private readonly ExportSlot[] _slots;
    private readonly string[] _clusterNames;
    private readonly string[] _serviceNames;
    private readonly long _totalSlots;
    private long _added;

    public Workload(int clusters, int services, int endpoints)
    {
        Clusters = clusters;
        Services = services;
        Endpoints = endpoints;
        _totalSlots = (long)clusters * services * endpoints;
        _clusterNames = Enumerable.Range(0, clusters).Select(ClusterName).ToArray();
        _serviceNames = Enumerable.Range(0, services).Select(ServiceName).ToArray();
        _slots = new ExportSlot[clusters * services];
        for (var i = 0; i < _slots.Length; i++) _slots[i] = new ExportSlot();
    }

    public int Clusters { get; }
    public int Services { get; }
    public int Endpoints { get; }

    public static string ClusterName(int c) => $"cluster-{c}";

    public static string ServiceName(int s) => $"svc-{s:D4}";

    public string Cluster(int c) => _clusterNames[c];

    public string ServiceNameOf(int s) => _serviceNames[s];

    /// <summary>The MCS key (what the provider sees as the load balancer id), as GrainKeys.MultiClusterService builds it.</summary>
    public string McsId(int s) => GrainKeys.MultiClusterService(McsCluster, Namespace, _serviceNames[s]);

    /// <summary>Cluster 0 exported first, so it is the oldest export of every service.</summary>
    public static DateTimeOffset CreationTimestamp(int c) => Epoch.AddMinutes(c);

    /// <summary>Spreads consecutive indices over clusters first (each cluster's member grain is a serial point).</summary>
    public (int Cluster, int Service) ExportAt(long index)
    {
        var e = (int)(index % _slots.Length);
        return (e % Clusters, e / Clusters);
    }

    /// <summary>The first report of an export: <see cref="Endpoints"/> ready endpoints.</summary>
    public ServiceExportReport Initial(int c, int s)
    {
        var slot = Slot(c, s);
        lock (slot) return Report(c, s, slot);
    }

    /// <summary>An update that replaces one endpoint (round robin over the export's slots) with a new address.</summary>
    public ServiceExportReport ReplaceOne(int c, int s)
    {
        var slot = Slot(c, s);
        lock (slot)
        {
            slot.Replacements++;
            return Report(c, s, slot);
        }
    }

    /// <summary>An update that adds one endpoint with a never-used address; returns the report and that address.</summary>
    public (ServiceExportReport Report, string Address) AddOne(int c, int s)
    {
        var address = ToText(AddedBase + (uint)Interlocked.Increment(ref _added));
        var slot = Slot(c, s);
        lock (slot)
        {
            slot.Added = [.. slot.Added, address];
            return (Report(c, s, slot), address);
        }
    }

    /// <summary>The endpoints last sent for an export (for checks).</summary>
    public EndpointInfo[] Current(int c, int s)
    {
        var slot = Slot(c, s);
        lock (slot) return EndpointsOf(c, s, slot);
    }

    private ExportSlot Slot(int c, int s) => _slots[c * Services + s];

    private ServiceExportReport Report(int c, int s, ExportSlot slot) =>
        new(Namespace, _serviceNames[s], CreationTimestamp(c), Service, EndpointsOf(c, s, slot), Generation: 1, Revision: ++slot.Revision);

    /// <summary>After R replacements, slot k has been replaced R / E times, once more if k &lt; R % E; then the added ones.</summary>
    private EndpointInfo[] EndpointsOf(int c, int s, ExportSlot slot)
    {
        var r = slot.Replacements;
        var endpoints = new EndpointInfo[Endpoints + slot.Added.Length];
        for (var k = 0; k < Endpoints; k++)
            endpoints[k] = new EndpointInfo(ReplacementAddress(c, s, k, r / Endpoints + (k < r % Endpoints ? 1 : 0)));
        for (var a = 0; a < slot.Added.Length; a++) endpoints[Endpoints + a] = new EndpointInfo(slot.Added[a]);
        return endpoints;
    }

    private string ReplacementAddress(int c, int s, int k, long version)
    {
        var g = ((long)c * Services + s) * Endpoints + k;
        return ToText(ReplacementBase + (uint)((version * _totalSlots + g) % ReplacementSpace));
    }

    private static string ToText(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    private sealed class ExportSlot
    {
        public string[] Added = [];
        public long Replacements;
        public long Revision;
    }
}
