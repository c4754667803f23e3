using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FleetL4.FakeArm;
using FleetL4.Hosting;
using FleetL4.LoadBalancing.Azure;
using FleetL4.Tests.Hosting;
using FleetL4.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FleetL4.Tests.AzureProvider;

/// <summary>
/// Every key of "FleetL4:Azure": a bad or missing value stops the hub at start with one message naming the key. Checked
/// through the pipeline the silo builds (AddAzureLoadBalancing's binder and validator, run as the host runs them at
/// start), and a few through the real hub process.
/// </summary>
public sealed class AzureOptionsTests : IDisposable
{
    private const string Subscription = "6f1e0c7a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    private const string Vnet = $"/subscriptions/{Subscription}/resourceGroups/fleet-net/providers/Microsoft.Network/virtualNetworks/fleet-pods";

    private readonly string _dir = Directory.CreateTempSubdirectory("fleetl4-azure-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Settings the hub accepts; each case changes one key (null removes it). "DIR/" is a temp directory holding
    /// ca.pem (a CA certificate), text.pem (not PEM) and key.pem (a private key, no certificate).</summary>
    private Dictionary<string, string?> Valid() => new()
    {
        ["FleetL4:Provider"] = "Azure",
        ["FleetL4:Azure:SubscriptionId"] = Subscription,
        ["FleetL4:Azure:ResourceGroup"] = "fleetl4-lb",
        ["FleetL4:Azure:Location"] = "eastus",
        ["FleetL4:Azure:VirtualNetworkId"] = Vnet,
        ["FleetL4:Azure:InternalSubnetId"] = Vnet + "/subnets/fleetl4-internal",
        ["FleetL4:Azure:Endpoint"] = "https://management.azure.com/",
        ["FleetL4:Azure:Credential"] = "StaticToken",
        ["FleetL4:Azure:StaticToken"] = "token-for-the-test",
        ["FleetL4:Azure:CaCertificateFile"] = WriteFiles() + "/ca.pem",
        ["FleetL4:Azure:WriteBudget"] = "800",
    };

    private string WriteFiles()
    {
        if (File.Exists(Path.Combine(_dir, "ca.pem"))) return _dir;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=FleetL4 options test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "text.pem"), "this is not a certificate\n");
        File.WriteAllText(Path.Combine(_dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return _dir;
    }

    /// <summary>What the hub prints at start for these settings: the options the silo registers, bound and validated as
    /// the host does before anything starts (IStartupValidator), and the two failures Program.cs turns into lines.</summary>
    private static IReadOnlyList<string> StartupErrors(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddAzureLoadBalancing(configuration).BuildServiceProvider();
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (InvalidOperationException ex) when (ConfigurationConversionError.Is(ex))
        {
            return [ConfigurationConversionError.Describe(ex)];
        }
    }

    public static TheoryData<string, string?, string> BadValues => new()
    {
        { "SubscriptionId", null, "FleetL4:Azure:SubscriptionId: is required" },
        { "SubscriptionId", "  ", "FleetL4:Azure:SubscriptionId: is required" },
        { "SubscriptionId", "my-subscription", "FleetL4:Azure:SubscriptionId: \"my-subscription\" is not a subscription id" },
        { "SubscriptionId", "6f1e0c7a2b3d4e5f8a9b0c1d2e3f4a5b", "FleetL4:Azure:SubscriptionId: \"6f1e0c7a2b3d4e5f8a9b0c1d2e3f4a5b\" is not a subscription id" },
        { "SubscriptionId", "{6f1e0c7a-2b3d-4e5f-8a9b-0c1d2e3f4a5b}", "FleetL4:Azure:SubscriptionId: \"{6f1e0c7a-2b3d-4e5f-8a9b-0c1d2e3f4a5b}\" is not a subscription id" },
        { "ResourceGroup", null, "FleetL4:Azure:ResourceGroup: is required" },
        { "ResourceGroup", "fleet lb", "FleetL4:Azure:ResourceGroup: \"fleet lb\" must be 1-90 letters, digits" },
        { "ResourceGroup", "fleetl4.", "FleetL4:Azure:ResourceGroup: \"fleetl4.\" must be 1-90" },
        { "ResourceGroup", "fleet/lb", "FleetL4:Azure:ResourceGroup: \"fleet/lb\" must be 1-90" },
        { "ResourceGroup", new string('r', 91), $"FleetL4:Azure:ResourceGroup: \"{new string('r', 91)}\" must be 1-90" },
        { "Location", null, "FleetL4:Azure:Location: is required" },
        { "Location", "East US", "FleetL4:Azure:Location: \"East US\" is not a region name" },
        { "VirtualNetworkId", null, "FleetL4:Azure:VirtualNetworkId: is required" },
        { "VirtualNetworkId", "fleet-pods", "FleetL4:Azure:VirtualNetworkId: \"fleet-pods\" is not a VNet resource id" },
        { "VirtualNetworkId", Vnet + "/subnets/pods", $"FleetL4:Azure:VirtualNetworkId: \"{Vnet}/subnets/pods\" is not a VNet resource id" },
        { "VirtualNetworkId", $"/subscriptions/{Subscription}/resourceGroups/fleet-net/providers/Microsoft.Storage/storageAccounts/fleet", "FleetL4:Azure:VirtualNetworkId: \"/subscriptions/" },
        { "InternalSubnetId", Vnet, $"FleetL4:Azure:InternalSubnetId: \"{Vnet}\" is not a subnet resource id" },
        { "InternalSubnetId", "", "FleetL4:Azure:InternalSubnetId: \"\" is not a subnet resource id" },
        { "InternalSubnetId", Vnet.Replace("fleet-pods", "other-vnet") + "/subnets/lb", "is not a subnet of FleetL4:Azure:VirtualNetworkId" },
        { "Endpoint", "management.azure.com", "FleetL4:Azure:Endpoint: \"management.azure.com\" must be an absolute https URI" },
        { "Endpoint", "http://127.0.0.1:8443/", "FleetL4:Azure:Endpoint: \"http://127.0.0.1:8443/\" must be an absolute https URI" },
        { "Credential", "ManagedIdentity", "FleetL4:Azure:Credential: \"ManagedIdentity\" is not one of Default, StaticToken" },
        { "Credential", "7", "FleetL4:Azure:Credential: \"7\" is not one of Default, StaticToken" },
        { "StaticToken", null, "FleetL4:Azure:StaticToken: is required when FleetL4:Azure:Credential is StaticToken" },
        { "StaticToken", " ", "FleetL4:Azure:StaticToken: is required when FleetL4:Azure:Credential is StaticToken" },
        { "CaCertificateFile", "DIR/missing.pem", "FleetL4:Azure:CaCertificateFile: \"DIR/missing.pem\" does not exist" },
        { "CaCertificateFile", "DIR", "FleetL4:Azure:CaCertificateFile: \"DIR\" does not exist" },
        { "CaCertificateFile", "DIR/text.pem", "FleetL4:Azure:CaCertificateFile: \"DIR/text.pem\" is not a PEM certificate" },
        { "CaCertificateFile", "DIR/key.pem", "FleetL4:Azure:CaCertificateFile: \"DIR/key.pem\" is not a PEM certificate" },
        { "ResyncPeriod", "00:00:30", "FleetL4:Azure:ResyncPeriod: 00:00:30 must be at least 00:01:00 (Orleans' minimum reminder period)" },
        { "ResyncPeriod", "00:00:00", "FleetL4:Azure:ResyncPeriod: 00:00:00 must be greater than zero" },
        { "WriteBudget", "0", "FleetL4:Azure:WriteBudget: 0 must be from 1 to 100000" },
        { "WriteBudget", "-5", "FleetL4:Azure:WriteBudget: -5 must be from 1 to 100000" },
        { "WriteBudget", "100001", "FleetL4:Azure:WriteBudget: 100001 must be from 1 to 100000" },
        { "WriteBudget", "lots", "FleetL4:Azure:WriteBudget: \"lots\" is not a whole number" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_or_missing_value_is_one_message_naming_the_key(string key, string? value, string message)
    {
        var settings = Valid();
        settings[$"FleetL4:Azure:{key}"] = value?.Replace("DIR", _dir, StringComparison.Ordinal);
        var failure = Assert.Single(StartupErrors(settings));
        Assert.Contains(message.Replace("DIR", _dir, StringComparison.Ordinal), failure, StringComparison.Ordinal);
        Assert.Contains($"FleetL4:Azure:{key}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_valid_settings_start_and_the_optional_keys_may_be_left_out()
    {
        Assert.Empty(StartupErrors(Valid()));
        var minimal = Valid();
        foreach (var optional in new[] { "InternalSubnetId", "Endpoint", "Credential", "StaticToken", "CaCertificateFile", "WriteBudget" })
            minimal.Remove($"FleetL4:Azure:{optional}");
        Assert.Empty(StartupErrors(minimal)); // Credential=Default needs no StaticToken
    }

    [Fact]
    public void Every_bad_key_is_named_once()
    {
        var settings = Valid();
        settings["FleetL4:Azure:SubscriptionId"] = null;
        settings["FleetL4:Azure:Location"] = "East US";
        settings["FleetL4:Azure:WriteBudget"] = "0";
        Assert.Equal([
            "FleetL4:Azure:SubscriptionId: is required (the subscription's id, a GUID)",
            "FleetL4:Azure:Location: \"East US\" is not a region name (such as eastus; `az account list-locations -o table` lists them)",
            "FleetL4:Azure:WriteBudget: 0 must be from 1 to 100000",
        ], StartupErrors(settings));
    }

    /// <summary>Settings of a hub that would start (the token is never used: nothing calls ARM before an MCS exists).</summary>
    private static readonly string[] ProcessSettings =
    [
        "--FleetL4:Provider=Azure", $"--FleetL4:Azure:SubscriptionId={Subscription}", "--FleetL4:Azure:ResourceGroup=fleetl4-lb",
        "--FleetL4:Azure:Location=eastus", $"--FleetL4:Azure:VirtualNetworkId={Vnet}", "--FleetL4:Azure:Credential=StaticToken",
        "--FleetL4:Azure:StaticToken=token-for-the-test",
    ];

    [Theory]
    [InlineData("--FleetL4:Azure:Credential=ManagedIdentity", "FleetL4:Azure:Credential: \"ManagedIdentity\" is not one of Default, StaticToken")]
    [InlineData("--FleetL4:Provider=Aws", "FleetL4:Provider: \"Aws\" is not one of")]
    [InlineData("--FleetL4:Azure:WriteBudget=0", "FleetL4:Azure:WriteBudget: 0 must be from 1 to 100000")]
    [InlineData("--FleetL4:Azure:CaCertificateFile=/nonexistent/arm-ca.pem", "FleetL4:Azure:CaCertificateFile: \"/nonexistent/arm-ca.pem\" does not exist")]
    [InlineData("--FleetL4:Azure:ResourceGroup=fleet lb", "FleetL4:Azure:ResourceGroup: \"fleet lb\" must be")]
    public async Task The_hub_process_stops_at_start_with_one_line_naming_the_key(string setting, string message)
    {
        var result = await HubProcess.RunToExitAsync([.. ProcessSettings, setting]);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("FleetL4 hub is up", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_keys_of_two_sections_are_each_named_on_a_line_of_their_own()
    {
        var result = await HubProcess.RunToExitAsync([.. ProcessSettings, "--FleetL4:Azure:WriteBudget=0", "--FleetL4:MissedHeartbeats=0"]);
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith("error: ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("FleetL4:Azure:WriteBudget", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("FleetL4:MissedHeartbeats", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_InternalSubnetId_an_internal_MCS_says_the_key_is_missing_and_nothing_is_written()
    {
        await using var arm = await FakeArmServer.StartAsync();
        await using var hub = await AzureHub.StartAsync(arm, configure: s => s.Remove("FleetL4:Azure:InternalSubnetId"));
        await hub.Fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await hub.Fleet.ReportServiceExportAsync("aks-member-1", Seed.Export("kuard-demo", Seed.T0, Seed.Ready(["10.224.1.4", "10.224.1.5"])));
        await hub.Fleet.ApplyMultiClusterServiceAsync("aks-member-1",
            Seed.Mcs("kuard-demo", annotations: new() { [FleetAnnotations.InternalLoadBalancer] = "true" }));
        var mcs = await Eventually.Get(() => hub.Fleet.GetMultiClusterServiceAsync("aks-member-1", "kuard-demo", "kuard"),
            m => m.LoadBalancerError is not null, "the MCS's load balancer error");
        Assert.Equal("FleetL4:Azure:InternalSubnetId is not set, so no internal frontend can be made", mcs.LoadBalancerError);
        Assert.False(mcs.LoadBalancerInSync);
        Assert.Null(mcs.ExternalIp);
        Assert.Empty(arm.Writes);
    }
}
