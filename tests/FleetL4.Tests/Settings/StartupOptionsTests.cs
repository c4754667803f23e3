using FleetL4.Hosting.Demo;
using FleetL4.LoadBalancing;
using FleetL4.LoadBalancing.Local;
using FleetL4.Tests.Hosting;

namespace FleetL4.Tests.Settings;

/// <summary>Bad settings stop the hub at start with a message naming the key, and change nothing.</summary>
public sealed class StartupOptionsTests
{
    [Theory]
    [InlineData("--FleetL4:Provider=Azur", "FleetL4:Provider")]
    [InlineData("--FleetL4:FrontendPool=10.0.0.0/33", "FleetL4:FrontendPool")]
    [InlineData("--FleetL4:HeartbeatInterval=00:00:00", "FleetL4:HeartbeatInterval")]
    [InlineData("--FleetL4:MissedHeartbeats=0", "FleetL4:MissedHeartbeats")]
    [InlineData("--FleetL4:HeartbeatInterval=soon", "FleetL4:HeartbeatInterval")]
    [InlineData("--FleetL4:LocalLoadBalancer:ProbeThreshold=0", "FleetL4:LocalLoadBalancer:ProbeThreshold")]
    [InlineData("--FleetL4:Quotas:PortsPerService=0", "FleetL4:Quotas:PortsPerService: 0 must be at least 1")]
    [InlineData("--FleetL4:Quotas:ObjectBytes=big", "FleetL4:Quotas:ObjectBytes")]
    [InlineData("--FleetL4:Quotas:BytesPerCluster=1024", "FleetL4:Quotas:BytesPerCluster: 1024 must not be below ObjectBytes (1572864)")]
    [InlineData("--Hub:GatewayPort=70000", "Hub:GatewayPort")]
    [InlineData("--Hub:Clustering=Consul", "Hub:Clustering")]
    [InlineData("--Hub:Storage=Cosmos", "Hub:Storage")]
    [InlineData("--Hub:Storage=AzureStorage", "Hub:AzureStorage:ConnectionString: Hub:Clustering=Localhost and Hub:Storage=AzureStorage need a storage account")]
    [InlineData("--Hub:Clustering=AzureStorage", "Hub:AzureStorage:ConnectionString")]
    [InlineData("--Hub:Clustering=Kubernetes", "Hub:AzureStorage:ConnectionString: Hub:Clustering=Kubernetes and Hub:Storage=Memory need a storage account")]
    [InlineData("--Hub:Storage=AzureStorage --Hub:AzureStorage:TableServiceUri=https://a.table.core.windows.net", "Hub:AzureStorage:BlobServiceUri")]
    [InlineData("--Hub:Clustering=AzureStorage --Hub:AzureStorage:TableServiceUri=ftp://a", "Hub:AzureStorage:TableServiceUri: \"ftp://a/\" is not an http(s) URL")]
    [InlineData("--Hub:ClusterId=a_b", "Hub:ClusterId: \"a_b\" must be 1-63 letters, digits or '-'")]
    [InlineData("--Hub:AdvertisedAddress=hub-0", "Hub:AdvertisedAddress: \"hub-0\" is not an IP address")]
    [InlineData("--FleetL4:Provider=Azure", "FleetL4:Azure:SubscriptionId")]
    [InlineData("--FleetL4:Provider=Azure", "FleetL4:Azure:VirtualNetworkId")]
    [InlineData("--Hub:ApiUrl=http://0.0.0.0:30080", "Hub:ApiUrl: refusing to serve the hub API in plain text")]
    [InlineData("--Hub:ApiUrl=http://10.1.2.3:30080", "Hub:ApiUrl: refusing to serve the hub API in plain text")]
    [InlineData("--Hub:ApiUrl=https://127.0.0.1:30443", "Hub:ApiUrl")]
    [InlineData("--Hub:ApiUrl=grpc://hub", "Hub:ApiUrl")]
    [InlineData("--Hub:Tls:CertificateFile=/nonexistent/hub.crt", "Hub:Tls:CertificateFile: file \"/nonexistent/hub.crt\" does not exist")]
    [InlineData("--Hub:Tls:CertificateFile=/nonexistent/hub.crt", "Hub:Tls:KeyFile: required")]
    [InlineData("--Hub:DashboardUrl=http://0.0.0.0:8888", "Hub:DashboardUrl: the dashboard has no authentication of its own")]
    [InlineData("--Hub:DashboardUrl=https://127.0.0.1:8888", "Hub:DashboardUrl: \"https://127.0.0.1:8888\" is https:// but")]
    [InlineData("--demo --Demo:PodNetwork=10.0.61.0/24", "Demo:PodNetwork: \"10.0.61.0/24\" is not a /24 of 127.0.0.0/8")]
    [InlineData("--demo --Demo:PodNetwork=127.0.61.0/16", "Demo:PodNetwork: \"127.0.61.0/16\" is not a /24 of 127.0.0.0/8")]
    [InlineData("--demo --FleetL4:FrontendPool=127.0.61.0/24", "Demo:PodNetwork: 127.0.61.0/24 overlaps FleetL4:FrontendPool (127.0.61.0/24)")]
    public async Task A_bad_setting_stops_the_hub_with_a_message_naming_the_key(string arguments, string key)
    {
        var result = await HubProcess.RunToExitAsync(arguments.Split(' '));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(key, result.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal); // a message, not a stack trace
        Assert.DoesNotContain("FleetL4 hub is up", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Validators_accept_the_defaults()
    {
        Assert.True(new FleetOptionsValidator().Validate(null, new FleetOptions()).Succeeded);
        Assert.True(new LoadBalancingOptionsValidator().Validate(null, new LoadBalancingOptions()).Succeeded);
        Assert.True(new LocalLoadBalancerOptionsValidator().Validate(null, new LocalLoadBalancerOptions()).Succeeded);
        Assert.Empty(DemoOptionsValidator.Validate(new DemoOptions(), new LoadBalancingOptions().FrontendPool));
    }

    [Fact]
    public void Every_bad_key_is_named_once()
    {
        var result = new FleetOptionsValidator().Validate(null, new FleetOptions
        {
            ProviderRetryMin = TimeSpan.FromSeconds(10),
            ProviderRetryMax = TimeSpan.FromSeconds(1),
            CoalescingWindow = TimeSpan.FromSeconds(-1),
        });
        Assert.Equal([
            "FleetL4:CoalescingWindow: -00:00:01 must not be negative",
            "FleetL4:ProviderRetryMax: 00:00:01 must not be below ProviderRetryMin (00:00:10)",
        ], result.Failures!);
    }
}
