using FleetL4.HubApi;
using FleetL4.FakeArm;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Azure;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace FleetL4.Tests.AzureProvider;

/// <summary>
/// A two-silo hub with FleetL4:Provider=Azure against the fake ARM server, configured through the same keys a
/// user sets (the CA file, the static token), with short windows so tests run in seconds.
/// </summary>
public sealed class AzureHub : IAsyncDisposable
{
    private AzureHub(InProcessTestCluster cluster, FakeArmServer arm, SharedGrainStore store)
    {
        Cluster = cluster;
        Arm = arm;
        Store = store;
        Fleet = new FleetGrains(cluster.Client);
    }

    public InProcessTestCluster Cluster { get; }
    public FakeArmServer Arm { get; }
    public SharedGrainStore Store { get; }
    public FleetGrains Fleet { get; }

    public static Dictionary<string, string?> Settings(FakeArmServer arm) => new()
    {
        ["FleetL4:Provider"] = "Azure",
        ["FleetL4:Azure:SubscriptionId"] = arm.SubscriptionId,
        ["FleetL4:Azure:ResourceGroup"] = arm.ResourceGroup,
        ["FleetL4:Azure:Location"] = arm.Location,
        ["FleetL4:Azure:VirtualNetworkId"] = arm.VirtualNetworkId,
        ["FleetL4:Azure:InternalSubnetId"] = arm.SubnetId("internal-lb"),
        ["FleetL4:Azure:Endpoint"] = arm.Endpoint.ToString(),
        ["FleetL4:Azure:Credential"] = "StaticToken",
        ["FleetL4:Azure:StaticToken"] = arm.Token,
        ["FleetL4:Azure:CaCertificateFile"] = arm.CaCertificatePemPath,
        ["FleetL4:Azure:CoalescingWindow"] = "00:00:00.100",
        ["FleetL4:Azure:PollInterval"] = "00:00:00.020",
        ["FleetL4:Azure:RetryMin"] = "00:00:00.050",
        ["FleetL4:Azure:RetryMax"] = "00:00:01",
        ["FleetL4:Azure:ResyncPeriod"] = "00:00:01",
    };

    public static async Task<AzureHub> StartAsync(FakeArmServer arm, SharedGrainStore? store = null, Action<Dictionary<string, string?>>? configure = null,
        Action<ISiloBuilder>? configureSilo = null)
    {
        store ??= new SharedGrainStore();
        var settings = Settings(arm);
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddAzureLoadBalancing(configuration);
            silo.Services.AddLoadBalancing(configuration);
            FleetTestCluster.ConfigureFastSilo(silo, store, configuration, o => o.ProviderRetryMax = TimeSpan.FromMilliseconds(500));
            configureSilo?.Invoke(silo); // e.g. SiloPins

        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new AzureHub(cluster, arm, store);
    }

    /// <summary>The shared public load balancer's current JSON (null until it exists).</summary>
    public System.Text.Json.Nodes.JsonObject? PublicLb => Arm.Get(Arm.LoadBalancerId("fleetl4"));

    public System.Text.Json.Nodes.JsonObject? InternalLb => Arm.Get(Arm.LoadBalancerId("fleetl4-internal"));

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
