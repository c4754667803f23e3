using FleetL4.Hosting;

namespace FleetL4.Tests.Observability;

/// <summary>Hub:HealthUrl is plain HTTP on any address, on a port none of the hub's other endpoints use.</summary>
public sealed class HealthUrlOptionsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9464", null)]
    [InlineData("http://0.0.0.0:9464", null)] // the deploy: the kubelet and Prometheus reach it on the pod's address
    [InlineData("http://[::]:9464", null)]
    [InlineData("https://127.0.0.1:9464", "Hub:HealthUrl: \"https://127.0.0.1:9464\" must be http://: probes and Prometheus scrape it in plain text")]
    [InlineData("http://127.0.0.1:30080", "Hub:HealthUrl: port 30080 is also Hub:ApiUrl's")]
    [InlineData("http://127.0.0.1:8888", "Hub:HealthUrl: port 8888 is also Hub:DashboardUrl's")]
    [InlineData("http://127.0.0.1:11111", "Hub:HealthUrl: port 11111 is also Hub:SiloPort's")]
    [InlineData("http://127.0.0.1:30000", "Hub:HealthUrl: port 30000 is also Hub:GatewayPort's")]
    [InlineData("http://127.0.0.1", "Hub:HealthUrl: \"http://127.0.0.1\" names no port")]
    [InlineData("http://hub:9464", "Hub:HealthUrl: \"http://hub:9464\": host must be an IP address, localhost, 0.0.0.0 or [::]")]
    public void Hub_HealthUrl_is_checked_at_start(string url, string? failure)
    {
        var result = new HubOptionsValidator().Validate(null, new HubOptions { HealthUrl = url });
        Assert.Equal(failure is null ? [] : [failure], result.Failures ?? []);
    }
}
