using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using FleetL4.Client;
using FleetL4.Client.Output;
using FleetL4.LoadBalancing;
using FleetL4.Members;
using FleetL4.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FleetL4.Hosting.Demo;

/// <summary>
/// The Azure Fleet L4 walkthrough on one machine (`--demo`): three virtual members, kuard-like backends on
/// loopback addresses, the walkthrough's manifests applied through the same facade the CLI uses, and real HTTP
/// requests through the MultiClusterService's EXTERNAL-IP.
/// </summary>
public sealed partial class SeedWalkthrough(IOptions<HubOptions> hub, IOptions<DemoOptions> demo, IOptions<LoadBalancingOptions> pools,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private const string Namespace = "kuard-demo";
    private const string Placement = "kuard-demo";
    private const string NamespaceManifest = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Namespace}\n";
    private static readonly (string Cluster, string Location, int Number)[] Members =
    [
        ("aks-member-1", "eastus", 1),
        ("aks-member-2", "eastus", 2),
        ("aks-member-3", "westus", 3),
    ];

    /// <summary>Pod <c>i</c> of member <c>n</c> is host <c>10n+i</c> of Demo:PodNetwork (only the eastus members run pods).</summary>
    private static int PodHost(int member, int pod) => 10 * member + pod;

    public static IEnumerable<int> PodHosts => Members.Where(m => m.Location == "eastus").SelectMany(m => new[] { PodHost(m.Number, 1), PodHost(m.Number, 2) });

    private readonly List<KuardBackend> _backends = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Walkthrough(stoppingToken);
        }
        catch (AddressTakenException ex)
        {
            // Not a crash: another program holds the demo's addresses. Say which and stop the hub with exit code 1.
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            Environment.ExitCode = 1; // the host logs it and stops; a failed walkthrough must not exit 0
            throw;
        }
    }

    private async Task Walkthrough(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult())) await started.Task.WaitAsync(stoppingToken);
        using var fleet = new FleetClient(new HubConnectionOptions { Hubs = [OwnApi(hub.Value.ApiUrl)] });
        var printer = new Printer(fleet, Console.Out);
        var samples = Path.Combine(AppContext.BaseDirectory, "samples", "kuard");
        var frontend = FrontendAddress();
        CheckFree(frontend);

        Step("Join three member clusters (two in eastus, one in westus)");
        foreach (var (cluster, location, _) in Members)
        {
            await fleet.JoinClusterAsync(cluster, new Dictionary<string, string> { ["fleet.azure.com/location"] = location }, isVirtual: true);
            Console.WriteLine($"  fleetl4 cluster join {cluster} --label fleet.azure.com/location={location}");
        }
        await printer.Get(ResourceKind.MemberCluster, null, null, null, "wide");

        Step($"Create the namespace {Namespace} on the hub and apply kuard-export-service.yaml (Deployment, Service, ServiceExport) to it");
        Console.WriteLine($"  $ fleetl4 create namespace {Namespace}");
        await ApplyToHub(fleet, ManifestReader.Read(NamespaceManifest, "namespace"), stoppingToken);
        Console.WriteLine("  $ fleetl4 apply -f kuard-export-service.yaml");
        await ApplyToHub(fleet, ManifestReader.Read(await File.ReadAllTextAsync(Path.Combine(samples, "kuard-export-service.yaml"), stoppingToken),
            "kuard-export-service.yaml"), stoppingToken);

        Step("Place the namespace on the eastus clusters with the ClusterResourcePlacement crp-2.yaml");
        Console.WriteLine("  $ fleetl4 apply -f crp-2.yaml");
        await ApplyToHub(fleet, ManifestReader.Read(await File.ReadAllTextAsync(Path.Combine(samples, "crp-2.yaml"), stoppingToken), "crp-2.yaml"), stoppingToken);
        var placement = await WaitFor(() => fleet.GetPlacementAsync(Placement),
            p => p.Conditions.Any(c => c.Type == PlacementApi.Applied && c.Status == ConditionStatuses.True), stoppingToken);
        Console.WriteLine("  $ fleetl4 get clusterresourceplacements");
        await printer.Get(ResourceKind.ClusterResourcePlacement, null, null, null, "table");
        var placed = placement.Clusters.Select(c => c.Cluster).ToHashSet();
        foreach (var (cluster, _, _) in Members)
        {
            var kinds = (await fleet.ListManifestsAsync(cluster)).Where(o => o.Namespace == Namespace || o.Name == Namespace)
                .Select(o => $"{o.Kind.ToLowerInvariant()}/{o.Name}").ToList();
            Console.WriteLine($"  [{cluster}] {(kinds.Count == 0 ? "nothing placed" : string.Join(", ", kinds))}");
        }

        Step("Each chosen cluster runs the Deployment's two pods; their EndpointSlice is what its controller would write");
        var eastus = Members.Where(m => placed.Contains(m.Cluster)).ToArray();
        foreach (var (cluster, _, number) in eastus)
        {
            await StartPods(cluster, number);
            foreach (var result in await fleet.ApplyManifestsAsync(cluster, ManifestReader.Read(EndpointSlice(cluster), "endpointslice"), stoppingToken))
                Console.WriteLine($"  [{cluster}] {result.Kind.ToLowerInvariant()}/{result.Name} {result.Action}");
        }

        Step("Check the exports in each eastus member: IS-VALID True, IS-CONFLICTED False");
        foreach (var (cluster, _, _) in eastus)
        {
            await WaitFor(() => fleet.GetServiceExportAsync(cluster, Namespace, "kuard"),
                e => e.Conditions.Any(c => c.Type == ConditionTypes.Valid && c.Status == ConditionStatuses.True), stoppingToken);
            Console.WriteLine($"  $ fleetl4 get serviceexport kuard -n {Namespace} --cluster {cluster}");
            await printer.Get(ResourceKind.ServiceExport, "kuard", Namespace, cluster, "table");
        }

        Step("Create the MultiClusterService on aks-member-1 (kuard-mcs.yaml)");
        var mcsManifest = ManifestReader.Read(await File.ReadAllTextAsync(Path.Combine(samples, "kuard-mcs.yaml"), stoppingToken), "kuard-mcs.yaml");
        foreach (var result in await fleet.ApplyManifestsAsync("aks-member-1", mcsManifest))
            Console.WriteLine($"  multiclusterservice/{result.Name} {result.Action}");
        var mcs = await WaitFor(() => fleet.GetMultiClusterServiceAsync("aks-member-1", Namespace, "kuard"),
            m => m.ExternalIp is not null && m.LoadBalancerInSync && m.Backends.Count == 4, stoppingToken);
        if (!mcs.LoadBalancerInSync && mcs.LoadBalancerError is { } error)
            throw new AddressTakenException("the MultiClusterService's frontend", $"{mcs.ExternalIp ?? frontend}:{DemoOptions.Port}", error, "FleetL4:FrontendPool", "127.0.101.0/24");
        Console.WriteLine($"  $ fleetl4 get multiclusterservice kuard -n {Namespace} --cluster aks-member-1");
        await printer.Get(ResourceKind.MultiClusterService, "kuard", Namespace, "aks-member-1", "table");

        Step($"Ten requests to http://{mcs.ExternalIp}:{DemoOptions.Port}/ (a new connection each): answers come from both eastus clusters");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clusters = new HashSet<string>();
        for (var i = 1; i <= 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{mcs.ExternalIp}:{DemoOptions.Port}/");
            request.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(request, stoppingToken);
            var body = await response.Content.ReadAsStringAsync(stoppingToken);
            var cluster = Field(body, "cluster");
            clusters.Add(cluster);
            Console.WriteLine($"  request {i,2}: {(int)response.StatusCode} from addrs {Field(body, "addrs")} ({Field(body, "pod")} in {cluster})");
        }
        Console.WriteLine($"  answered by {clusters.Count} cluster(s): {string.Join(", ", clusters.Order())}");

        var o = hub.Value;
        Step("Explore");
        Console.WriteLine($"  Orleans dashboard: {o.DashboardUrl.TrimEnd('/')}/dashboard/");
        Console.WriteLine($"  curl http://{mcs.ExternalIp}:{DemoOptions.Port}/");
        Console.WriteLine($"  dotnet run --project src/Cli -- --hub {o.ApiUrl.TrimEnd('/')} get mcs -A");
        Console.WriteLine($"  dotnet run --project src/Cli -- --hub {o.ApiUrl.TrimEnd('/')} describe svcimport kuard -n {Namespace}");
        Console.WriteLine($"  dotnet run --project src/Cli -- --hub {o.ApiUrl.TrimEnd('/')} get svcexport -A -o yaml");
        Console.WriteLine("  Ctrl+C stops the hub.");
    }

    private static async Task ApplyToHub(FleetClient fleet, IReadOnlyList<ManifestObject> objects, CancellationToken ct)
    {
        foreach (var result in await fleet.ApplyManifestsAsync(null, objects, ct))
            Console.WriteLine($"  {AppliedKind.Of(objects, result)}/{result.Name} {result.Action}");
    }

    /// <summary>Two kuard pods of one cluster on addresses of their own (Demo:PodNetwork).</summary>
    private async Task StartPods(string cluster, int number)
    {
        var prefix = DemoOptionsValidator.Prefix(demo.Value.PodNetwork)!; // checked at start
        for (var i = 1; i <= 2; i++)
        {
            var address = $"{prefix}.{PodHost(number, i)}";
            KuardBackend pod;
            try
            {
                pod = await KuardBackend.StartAsync(cluster, $"kuard-{number}-{i}", address, DemoOptions.Port);
            }
            catch (IOException ex)
            {
                throw new AddressTakenException($"pod kuard-{number}-{i}'s address", $"{address}:{DemoOptions.Port}", ex.Message.Split('\n')[0],
                    $"{DemoOptions.Section}:{nameof(DemoOptions.PodNetwork)}", "127.0.71.0/24");
            }
            _backends.Add(pod);
            Console.WriteLine($"  {cluster}: pod {pod.Pod} serving http://{pod.Address}:{DemoOptions.Port}/");
        }
    }

    /// <summary>The address the MultiClusterService will get: the pool hands out its lowest free one, and the demo's is the first MCS.</summary>
    private string FrontendAddress() => new FrontendIpPool(pools.Value.FrontendPool).Allocate("demo", null);

    /// <summary>
    /// Fails when another program listens on the frontend: the local load balancer's listener shares a port with
    /// another that set SO_REUSEPORT (as a second hub's does), so without this check two demos would silently split
    /// each other's traffic. A plain bind (no reuse) fails on any listener there.
    /// </summary>
    private static void CheckFree(string frontend)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Parse(frontend), DemoOptions.Port));
        }
        catch (SocketException ex)
        {
            throw new AddressTakenException("the MultiClusterService's frontend", $"{frontend}:{DemoOptions.Port}", ex.Message, "FleetL4:FrontendPool", "127.0.101.0/24");
        }
    }

    /// <summary>The EndpointSlice the Deployment's pods would get in that member.</summary>
    private string EndpointSlice(string cluster)
    {
        var endpoints = string.Join("", _backends.Where(b => b.Cluster == cluster).Select(b => $"""

              - addresses: ["{b.Address}"]
                conditions: {"{"} ready: true, serving: true, terminating: false {"}"}
                targetRef: {"{"} kind: Pod, name: {b.Pod}, namespace: {Namespace} {"}"}
            """));
        return $"""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: kuard-{cluster}
              namespace: {Namespace}
              labels:
                kubernetes.io/service-name: kuard
            addressType: IPv4
            ports:
              - port: {DemoOptions.Port}
                protocol: TCP
            endpoints:{endpoints}
            """;
    }

    private static async Task<T> WaitFor<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50, ct);
        }
    }

    /// <summary>The hub's own API as a client reaches it: a wildcard listen address is reached on loopback.</summary>
    private static Uri OwnApi(string apiUrl)
    {
        var endpoint = FleetL4.HubApi.HubEndpoint.Parse(apiUrl).Endpoint!;
        var host = endpoint.Address.Equals(System.Net.IPAddress.Any) || endpoint.Address.Equals(System.Net.IPAddress.IPv6Any)
            ? "127.0.0.1" : endpoint.Address.ToString();
        return new UriBuilder("http", host.Contains(':') ? $"[{host}]" : host, endpoint.Port).Uri;
    }

    private static void Step(string text) => Console.WriteLine($"\n==> {text}");

    private static string Field(string body, string name) => FieldPattern().Matches(body)
        .Where(m => m.Groups[1].Value == name).Select(m => m.Groups[2].Value.Trim()).FirstOrDefault() ?? "?";

    [GeneratedRegex(@"^(\w+): (.*)$", RegexOptions.Multiline)]
    private static partial Regex FieldPattern();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var backend in _backends) await backend.DisposeAsync();
    }
}
