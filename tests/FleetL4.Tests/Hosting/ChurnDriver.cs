using FleetL4.Client;
using FleetL4.Members;
using FleetL4.Models;
using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Hosting;

/// <summary>
/// Endpoint churn through the client, as `fleetl4 apply` makes it: three virtual members export four services, an MCS
/// per service, and one EndpointSlice after another is re-applied with new addresses. Every change is retried until the
/// hub acknowledges it (a dead silo or storage costs retries), and the driver remembers what it last had acknowledged:
/// after convergence the hub must show exactly that.
/// </summary>
public sealed class ChurnDriver(FleetClient fleet)
{
    public const string Namespace = "churn";
    private static readonly string[] Clusters = ["member-1", "member-2", "member-3"];
    private static readonly string[] Services = ["svc-a", "svc-b", "svc-c", "svc-d"];
    private readonly Dictionary<(string Cluster, string Service), string[]> _acknowledged = [];
    private readonly Lock _lock = new();
    private static readonly TimeSpan PushDeadline = TimeSpan.FromSeconds(90);

    public int Acknowledged { get { lock (_lock) return _count; } }
    public int Retries { get { lock (_lock) return _retries; } }

    /// <summary>What the hub said when it refused a change (at most one of each).</summary>
    public IReadOnlyCollection<string> Refusals { get { lock (_lock) return [.. _refusals]; } }

    private int _count;
    private int _retries;
    private readonly HashSet<string> _refusals = [];

    public async Task SetUpAsync()
    {
        foreach (var cluster in Clusters) await Pushed(() => fleet.JoinClusterAsync(cluster, Seed.EastUs, isVirtual: true));
        var step = 0;
        foreach (var cluster in Clusters)
            foreach (var service in Services)
                await ApplyAsync(cluster, service, step++);
        foreach (var service in Services)
            await Pushed(() => fleet.ApplyMultiClusterServiceAsync(Clusters[0], Seed.Mcs(Namespace, service, service)));
    }

    /// <summary>Re-applies one slice after another until <paramref name="stop"/>; each change is acknowledged before the next.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        for (var step = 0; !stop.IsCancellationRequested; step++)
        {
            var cluster = Clusters[step % Clusters.Length];
            var service = Services[step / Clusters.Length % Services.Length];
            await ApplyAsync(cluster, service, step);
        }
    }

    /// <summary>The MCSes' addresses, to compare before and after a fault.</summary>
    public async Task<Dictionary<string, string?>> FrontendsAsync()
    {
        var result = new Dictionary<string, string?>();
        foreach (var service in Services)
            result[service] = (await fleet.GetMultiClusterServiceAsync(Clusters[0], Namespace, service)).ExternalIp;
        return result;
    }

    /// <summary>Every cluster, export, import and MCS answers (one round of reads, no retry): null, or why not.</summary>
    public async Task<string?> EveryGrainAnswersAsync(FleetClient probe)
    {
        try
        {
            var reads = new List<Task>();
            foreach (var cluster in Clusters)
            {
                reads.Add(probe.GetMemberClusterAsync(cluster));
                reads.AddRange(Services.Select(s => probe.GetServiceExportAsync(cluster, Namespace, s)));
            }
            reads.AddRange(Services.Select(s => probe.GetServiceImportAsync(Namespace, s)));
            reads.AddRange(Services.Select(s => probe.GetMultiClusterServiceAsync(Clusters[0], Namespace, s)));
            await Task.WhenAll(reads);
            return null;
        }
        catch (HubUnreachableException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Null once every export shows the endpoints last acknowledged, every import holds all of them and every MCS
    /// has them in its load balancer (in sync); else the first difference.</summary>
    public async Task<string?> DifferenceAsync()
    {
        Dictionary<(string Cluster, string Service), string[]> expected;
        lock (_lock) expected = new(_acknowledged);
        try
        {
            foreach (var ((cluster, service), addresses) in expected)
            {
                var export = await fleet.GetServiceExportAsync(cluster, Namespace, service);
                var shown = export.Endpoints.Select(e => e.Address).Order().ToArray();
                if (!export.Exists || !shown.SequenceEqual(addresses.Order()))
                    return $"export {cluster}/{service}: [{string.Join(",", shown)}], acknowledged [{string.Join(",", addresses.Order())}]";
            }
            foreach (var service in Services)
            {
                var want = expected.Where(kv => kv.Key.Service == service).SelectMany(kv => kv.Value).Order().ToArray();
                var import = await fleet.GetServiceImportAsync(Namespace, service);
                if (import.BackendCount != want.Length) return $"import {service}: {import.BackendCount} backends, acknowledged {want.Length}";
                var mcs = await fleet.GetMultiClusterServiceAsync(Clusters[0], Namespace, service);
                var backends = mcs.Backends.Select(b => b.Address).Order().ToArray();
                if (!mcs.LoadBalancerInSync || !backends.SequenceEqual(want))
                    return $"MCS {service}: in sync {mcs.LoadBalancerInSync}, [{string.Join(",", backends)}], acknowledged [{string.Join(",", want)}]";
            }
            return null;
        }
        catch (HubUnreachableException ex)
        {
            return ex.Message;
        }
    }

    private async Task ApplyAsync(string cluster, string service, int step)
    {
        var addresses = Addresses(cluster, service, step);
        await Pushed(() => fleet.ApplyManifestsAsync(cluster, ManifestReader.Read(Workload(service, addresses), "churn.yaml")));
        lock (_lock)
        {
            _acknowledged[(cluster, service)] = addresses;
            _count++;
        }
    }

    /// <summary>1-3 addresses that change with every step; each cluster has its own range (nothing contacts them: the
    /// hub runs the in-memory provider).</summary>
    private static string[] Addresses(string cluster, string service, int step)
    {
        var c = Array.IndexOf(Clusters, cluster) + 1;
        var s = Array.IndexOf(Services, service) + 1;
        return [.. Enumerable.Range(0, step % 3 + 1).Select(i => $"10.{80 + c}.{s * 10 + i}.{step % 250 + 1}")];
    }

    private static string Workload(string service, string[] addresses) => $$"""
        apiVersion: v1
        kind: Service
        metadata: { name: {{service}}, namespace: {{Namespace}} }
        spec: { ports: [ { port: 8080 } ] }
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: { name: {{service}}-1, namespace: {{Namespace}}, labels: { kubernetes.io/service-name: {{service}} } }
        addressType: IPv4
        endpoints: [{{string.Join(", ", addresses.Select(a => $"{{ addresses: [\"{a}\"] }}"))}}]
        ---
        apiVersion: networking.fleet.azure.com/v1beta1
        kind: ServiceExport
        metadata: { name: {{service}}, namespace: {{Namespace}} }
        """;

    /// <summary>Retries a change the hub could not take now, as the CLI's user or an agent would, until it is taken.</summary>
    private async Task Pushed<T>(Func<Task<T>> push)
    {
        var deadline = DateTime.UtcNow + PushDeadline;
        while (true)
        {
            try
            {
                await push();
                return;
            }
            catch (HubUnreachableException ex) when (DateTime.UtcNow < deadline)
            {
                lock (_lock)
                {
                    _retries++;
                    if (_refusals.Count < 20) _refusals.Add(ex.Message);
                }
                await Task.Delay(100); // a retry's pace, not a wait for anything
            }
        }
    }
}
