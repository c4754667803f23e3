using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FleetL4.HubApi;
using FleetL4.Tests.Cli;
using FleetL4.Tests.Infrastructure;
using FleetL4.Tests.Kubernetes;

namespace FleetL4.Tests.Hosting;

/// <summary>
/// The hub process with mutual TLS on every address (reached on loopback), the CLI and the agent as processes with
/// client certificates, and the dashboard off loopback for admins only.
/// </summary>
public sealed class TlsHubProcessTests : IAsyncLifetime
{
    private readonly TestCertificates _certs = new();
    private HubProcess _hub = null!;
    private int _api;
    private int _dashboard;

    private string Url => $"https://127.0.0.1:{_api}";

    public async Task InitializeAsync()
    {
        var ports = LoopbackBlock.FreePorts(4);
        (_api, _dashboard) = (ports[0], ports[1]);
        _hub = await HubProcess.StartOnAsync((ports[2], ports[3], _dashboard, _api),
            "--FleetL4:Provider=InMemory",
            $"--Hub:ApiUrl=https://0.0.0.0:{_api}", $"--Hub:DashboardUrl=https://0.0.0.0:{_dashboard}",
            $"--Hub:Tls:CertificateFile={_certs.ServerCertificateFile}", $"--Hub:Tls:KeyFile={_certs.ServerKeyFile}",
            $"--Hub:Tls:ClientCaFile={_certs.CaFile}", "--Hub:Tls:AdminNames=fleet-admin");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _certs.Dispose();
    }

    private Task<ProcessRunner.Result> Fleetl4(string identity, params string[] args)
    {
        var (cert, key) = _certs.Client(identity);
        // The certificate settings come from the environment here, as in the member Deployment.
        return ProcessRunner.Run("dotnet", [CliRunner.CliPath(), "--hub", Url, .. args], environment: new Dictionary<string, string>
        {
            ["FLEETL4_CERT"] = cert, ["FLEETL4_KEY"] = key, ["FLEETL4_CA"] = _certs.CaFile,
        });
    }

    [Fact]
    public async Task Admins_and_members_use_the_CLI_over_mutual_TLS_and_a_member_is_refused_other_clusters()
    {
        Assert.Contains("mutual TLS", _hub.Output);
        var join = await Fleetl4("fleet-admin", "cluster", "join", "tls-virtual", "-l", "fleet.azure.com/location=eastus");
        Assert.True(join.ExitCode == 0, join.ToString());
        Assert.Equal(["tls-virtual"], await ClusterNames());

        var refused = await Fleetl4("tls-member", "cluster", "leave", "tls-virtual");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Error from server (Forbidden): member \"tls-member\" may not remove cluster \"tls-virtual\" from the fleet: admins only", refused.Stderr);
        Assert.Contains("Refused: member \"tls-member\"", _hub.Output);
        Assert.Equal(["tls-virtual"], await ClusterNames()); // still there

        // Without a certificate, over plain text, or trusting another CA: no call is made.
        var plain = await ProcessRunner.Run("dotnet", [CliRunner.CliPath(), "--hub", $"http://127.0.0.1:{_api}", "get", "clusters"]);
        Assert.Equal(1, plain.ExitCode);
        Assert.Equal("", plain.Stdout);
        var anonymous = await ProcessRunner.Run("dotnet", [CliRunner.CliPath(), "--hub", Url, "--ca", _certs.CaFile, "get", "clusters"]);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("Error from server (Unauthorized): a client certificate issued by the fleet's CA is required", anonymous.Stderr);
    }

    private async Task<string[]> ClusterNames()
    {
        var get = await Fleetl4("fleet-admin", "get", "clusters");
        Assert.True(get.ExitCode == 0, get.ToString());
        return [.. TableText.Parse(get.Stdout).Rows.Select(r => r["NAME"])];
    }

    [Fact]
    public async Task A_member_agent_with_its_certificate_syncs_its_cluster_and_gets_its_status_pushed()
    {
        var workDir = Directory.CreateTempSubdirectory("fleetl4-tls-agent-").FullName;
        await using var api = new FakeKubernetesApiServer();
        await api.StartAsync();
        var (cert, key) = _certs.Client("tls-member");
        await using var agent = AgentProcess.Start("--kubeconfig", api.WriteKubeconfig(workDir, "tls-member"), "--cluster", "tls-member",
            "--hub", $"127.0.0.1:{_api}", "--cert", cert, "--key", key, "--ca", _certs.CaFile, "--label", "fleet.azure.com/location=eastus");
        try
        {
            api.ApplyYaml(MemberHarness.Workload("web"));
            api.ApplyYaml(MemberHarness.Slice("web", "kuard-1", "10.11.0.1"));
            api.ApplyYaml(MemberHarness.Mcs("web"));
            try
            {
                await Eventually.True(() => api.Get("multiclusterservices", "web", "kuard")?["status"]?["loadBalancer"]?["ingress"]?.AsArray().Count == 1,
                    "status written back by the agent over mutual TLS", TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message}\nagent:\n{agent.Output}\nhub:\n{_hub.Output}");
            }
            var get = await Fleetl4("tls-member", "get", "mcs", "kuard", "-n", "web", "--cluster", "tls-member");
            Assert.True(get.ExitCode == 0, get.ToString());
            var ip = api.Get("multiclusterservices", "web", "kuard")!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]!.GetValue<string>();
            Assert.Equal(_hub.FrontendPool.Address(1), ip); // InMemory hands out the hub's pool too
            Assert.Equal(["kuard", "kuard", ip, "True"], TableText.Parse(get.Stdout).Rows.Single().Values.Take(4));
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    [Fact]
    public async Task The_dashboard_off_loopback_is_for_admin_certificates_only()
    {
        async Task<HttpStatusCode> Get(string? identity)
        {
            using var handler = new SocketsHttpHandler();
            var trust = new CertificateTrust(_certs.CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c is X509Certificate2 server && trust.Check(server, CertificateTrust.ServerAuthentication) is null;
            if (identity is not null)
            {
                var (cert, key) = _certs.Client(identity);
                handler.SslOptions.ClientCertificates = [PemCertificate.Load(cert, key)];
            }
            using var http = new HttpClient(handler);
            return (await http.GetAsync($"https://127.0.0.1:{_dashboard}/dashboard/")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get("fleet-admin"));
        Assert.Equal(HttpStatusCode.Forbidden, await Get("tls-member"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(null));
    }
}
