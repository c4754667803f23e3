using System.Text.Json.Nodes;
using FleetL4.Client;
using FleetL4.Agent;
using FleetL4.Members;
using FleetL4.Members.Resources;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetL4.Tests.Kubernetes;

/// <summary>One member cluster for agent tests: a fake API server with our CRDs' printer columns, and the agent.</summary>
public sealed class MemberHarness : IAsyncDisposable
{
    private readonly FleetClient _fleet;
    private readonly Func<string, AgentOptions> _options;

    private readonly TimeProvider? _clock;

    private MemberHarness(string cluster, FakeKubernetesApiServer api, string kubeconfig, FleetClient fleet, Func<string, AgentOptions> options, TimeProvider? clock)
    {
        _clock = clock;
        Cluster = cluster;
        Api = api;
        Kubeconfig = kubeconfig;
        _fleet = fleet;
        _options = options;
    }

    public string Cluster { get; }
    public FakeKubernetesApiServer Api { get; }
    public string Kubeconfig { get; }
    public MemberAgent? Agent { get; private set; }
    private IKubernetes? _client;

    /// <param name="clock">The agent's clock (its API outage bound), when the test moves time by hand.</param>
    public static async Task<MemberHarness> StartAsync(string cluster, FleetClient fleet, string workDir, Func<string, AgentOptions>? options = null, TimeProvider? clock = null)
    {
        var api = new FakeKubernetesApiServer();
        foreach (var (plural, columns) in CrdSchema.PrinterColumns()) api.Columns[plural] = columns;
        await api.StartAsync();
        var kubeconfig = api.WriteKubeconfig(workDir, cluster);
        var harness = new MemberHarness(cluster, api, kubeconfig, fleet, clock: clock, options: options ?? (c => new AgentOptions
        {
            Cluster = c,
            Labels = new Dictionary<string, string> { ["fleet.azure.com/location"] = "eastus" },
            WatchTimeout = TimeSpan.FromSeconds(30),
            BackoffMin = TimeSpan.FromMilliseconds(50),
            BackoffMax = TimeSpan.FromMilliseconds(500),
        }));
        harness.StartAgent();
        return harness;
    }

    public void StartAgent()
    {
        _client ??= new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        Agent = new MemberAgent(_client, _fleet, _options(Cluster), Environment.GetEnvironmentVariable("FLEETL4_TEST_LOG") is null ? NullLogger.Instance : LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })).CreateLogger(Cluster), _clock);
        Agent.Start();
    }

    public async Task StopAgentAsync()
    {
        if (Agent is not null) await Agent.DisposeAsync();
        Agent = null;
    }

    /// <summary>kubectl apply of a YAML manifest (one or more documents).</summary>
    public void Apply(string yaml) => Api.ApplyYaml(yaml);

    /// <summary>The seed's objects in one namespace: Service and ServiceExport kuard, EndpointSlice kuard-1 with these
    /// ready addresses, and MultiClusterService kuard.</summary>
    public void ApplyServed(string ns, params string[] addresses)
    {
        Apply(Workload(ns));
        Apply(Slice(ns, "kuard-1", addresses));
        Apply(Mcs(ns));
    }

    /// <summary>How long nothing may move for the status to count as written back: one-way verdicts and the test
    /// hub's 1 s reminder resyncs land within it.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Until the agent has taken a snapshot from the hub and then, for <see cref="Quiet"/>, neither received status
    /// nor written any (what the hub decided has been written back).
    /// </summary>
    public Task WaitForQuietStatusAsync()
    {
        var last = (-1, -1, -1);
        var since = System.Diagnostics.Stopwatch.StartNew();
        return Eventually.True(() =>
        {
            if (Agent is not { Synced: true, StatusUpdates: > 0, StatusRounds: > 0 } agent) return false;
            var now = (agent.StatusWrites, agent.StatusUpdates, Api.Store.StatusPatches);
            if (now != last)
            {
                (last, since) = (now, System.Diagnostics.Stopwatch.StartNew());
                return false;
            }
            return since.Elapsed >= Quiet;
        }, $"{Cluster}: status written back");
    }

    /// <summary>Hub API calls the agent made (its status stream not counted).</summary>
    public int HubCalls => _fleet.Calls;

    public string? Condition(string plural, string ns, string name, string type, string field) =>
        Api.Get(plural, ns, name)?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?[field]?.ToString();

    /// <summary>The core/v1 Events of a namespace with this reason.</summary>
    public IReadOnlyList<JsonObject> Events(string ns, string reason) =>
        [.. Api.List("events", ns).Where(e => e["reason"]?.GetValue<string>() == reason)];

    /// <summary>metadata.uid of an object.</summary>
    public string Uid(string plural, string ns, string name) => Api.Get(plural, ns, name)!["metadata"]!["uid"]!.GetValue<string>();

    /// <summary>status.loadBalancer.ingress[0].ip of the MCS kuard, or null while there is none.</summary>
    public string? McsIp(string ns) =>
        Api.Get("multiclusterservices", ns, "kuard")?["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: > 0 } ingress
            ? ingress[0]?["ip"]?.GetValue<string>()
            : null;

    public async ValueTask DisposeAsync()
    {
        await StopAgentAsync();
        await Api.DisposeAsync();
        _client?.Dispose();
    }

    public static string Workload(string ns, int port = 8080, string name = "kuard", string? created = null) => $"""
        apiVersion: v1
        kind: Service
        metadata: {"{"} name: {name}, namespace: {ns} {"}"}
        spec:
          ports:
            - port: {port}
        ---
        apiVersion: networking.fleet.azure.com/v1alpha1
        kind: ServiceExport
        metadata: {"{"} name: {name}, namespace: {ns}{(created is null ? "" : $", creationTimestamp: \"{created}\"")} {"}"}
        """;

    public static string Slice(string ns, string sliceName, params string[] addresses) => SeedManifests.Slice(ns, sliceName, addresses);

    public static string Mcs(string ns, string name = "kuard", string import = "kuard") => $"""
        apiVersion: networking.fleet.azure.com/v1alpha1
        kind: MultiClusterService
        metadata: {"{"} name: {name}, namespace: {ns} {"}"}
        spec:
          serviceImport: {"{"} name: {import} {"}"}
        """;
}
