using System.Security.Cryptography;
using FleetL4.HubApi;
using Microsoft.Extensions.Options;

namespace FleetL4.Hosting;

/// <summary>Checks section "Hub" before the silo is built from it.</summary>
public sealed class HubOptionsValidator : IValidateOptions<HubOptions>
{
    public ValidateOptionsResult Validate(string? name, HubOptions o)
    {
        var failures = new List<string>();
        if (o.SiloPort is < 1 or > 65535) failures.Add($"Hub:SiloPort: {o.SiloPort} is outside 1..65535");
        if (o.GatewayPort is < 1 or > 65535) failures.Add($"Hub:GatewayPort: {o.GatewayPort} is outside 1..65535");
        if (o.SiloPort == o.GatewayPort) failures.Add($"Hub:GatewayPort: {o.GatewayPort} is also Hub:SiloPort");
        if (!Enum.IsDefined(o.Clustering))
            failures.Add($"Hub:Clustering: \"{o.Clustering}\" is not one of {string.Join(", ", Enum.GetNames<HubClustering>())}");
        if (!Enum.IsDefined(o.Storage))
            failures.Add($"Hub:Storage: \"{o.Storage}\" is not one of {string.Join(", ", Enum.GetNames<HubStorage>())}");
        CheckAzureStorage(o, failures);
        CheckTls(o.Tls, failures);
        if (o.DashboardSampling < TimeSpan.FromSeconds(1)) failures.Add($"Hub:DashboardSampling: {o.DashboardSampling} is below the dashboard's minimum of 1 s");
        var (api, apiError) = HubEndpoint.Parse(o.ApiUrl);
        if (apiError is not null) failures.Add($"Hub:ApiUrl: {apiError}");
        else if (o.Tls.Enabled && !HubEndpoint.IsHttps(o.ApiUrl)) failures.Add($"Hub:ApiUrl: \"{o.ApiUrl}\" must be https:// when Hub:Tls is set");
        else if (!o.Tls.Enabled && HubEndpoint.IsHttps(o.ApiUrl)) failures.Add($"Hub:ApiUrl: \"{o.ApiUrl}\" is https:// but Hub:Tls:CertificateFile, Hub:Tls:KeyFile and Hub:Tls:ClientCaFile are not set");
        else if (!o.Tls.Enabled && !HubEndpoint.IsLoopback(api!))
            failures.Add($"Hub:ApiUrl: refusing to serve the hub API in plain text on {api!.Address}: without Hub:Tls it listens on loopback only (set Hub:Tls:CertificateFile, Hub:Tls:KeyFile and Hub:Tls:ClientCaFile for mutual TLS)");
        var (dashboard, dashboardError) = HubEndpoint.Parse(o.DashboardUrl);
        if (dashboardError is not null) failures.Add($"Hub:DashboardUrl: {dashboardError}");
        else if (!HubEndpoint.IsLoopback(dashboard!) && !o.Tls.Enabled)
            failures.Add($"Hub:DashboardUrl: the dashboard has no authentication of its own: off loopback ({dashboard!.Address}) it needs Hub:Tls, and then asks for an admin certificate");
        else if (!HubEndpoint.IsLoopback(dashboard!) && !HubEndpoint.IsHttps(o.DashboardUrl))
            failures.Add($"Hub:DashboardUrl: \"{o.DashboardUrl}\" must be https:// off loopback");
        else if (HubEndpoint.IsHttps(o.DashboardUrl) && !o.Tls.Enabled)
            failures.Add($"Hub:DashboardUrl: \"{o.DashboardUrl}\" is https:// but Hub:Tls:CertificateFile, Hub:Tls:KeyFile and Hub:Tls:ClientCaFile are not set");
        if (api is not null && dashboard is not null && api.Port == dashboard.Port)
            failures.Add($"Hub:DashboardUrl: port {dashboard.Port} is also Hub:ApiUrl's");
        CheckHealthUrl(o, api, dashboard, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Plain HTTP on any address (the deploy binds all of them for the kubelet and Prometheus), on a port of its own.</summary>
    private static void CheckHealthUrl(HubOptions o, System.Net.IPEndPoint? api, System.Net.IPEndPoint? dashboard, List<string> failures)
    {
        var (health, error) = HubEndpoint.Parse(o.HealthUrl);
        if (error is not null) failures.Add($"Hub:HealthUrl: {error}");
        else if (HubEndpoint.IsHttps(o.HealthUrl))
            failures.Add($"Hub:HealthUrl: \"{o.HealthUrl}\" must be http://: probes and Prometheus scrape it in plain text");
        else
            foreach (var (key, port) in new[] { ("Hub:ApiUrl", api?.Port), ("Hub:DashboardUrl", dashboard?.Port), ("Hub:SiloPort", o.SiloPort), ("Hub:GatewayPort", o.GatewayPort) })
                if (port == health!.Port) failures.Add($"Hub:HealthUrl: port {port} is also {key}'s");
    }

    private static void CheckAzureStorage(HubOptions o, List<string> failures)
    {
        // Kubernetes hosting too: without a membership table every pod would be a hub of its own.
        var needed = o.Clustering is HubClustering.AzureStorage or HubClustering.Kubernetes || o.Storage == HubStorage.AzureStorage;
        var azure = o.AzureStorage;
        if (needed && !azure.Configured)
            failures.Add($"Hub:AzureStorage:ConnectionString: Hub:Clustering={o.Clustering} and Hub:Storage={o.Storage} need a storage account: set Hub:AzureStorage:ConnectionString, or Hub:AzureStorage:TableServiceUri and :BlobServiceUri (workload identity)");
        if (!string.IsNullOrWhiteSpace(azure.ConnectionString) && azure.TableServiceUri is not null)
            failures.Add("Hub:AzureStorage:TableServiceUri: set either Hub:AzureStorage:ConnectionString or the service URIs, not both");
        if (o.Storage == HubStorage.AzureStorage && azure.TableServiceUri is not null && azure.BlobServiceUri is null)
            failures.Add("Hub:AzureStorage:BlobServiceUri: Hub:Storage=AzureStorage with Hub:AzureStorage:TableServiceUri also needs the blob service URI (grain state lives in blobs)");
        foreach (var (key, uri) in new[] { ("TableServiceUri", azure.TableServiceUri), ("BlobServiceUri", azure.BlobServiceUri) })
            if (uri is not null && (!uri.IsAbsoluteUri || uri.Scheme is not ("https" or "http")))
                failures.Add($"Hub:AzureStorage:{key}: \"{uri}\" is not an http(s) URL");
        foreach (var (key, id) in new[] { ("ClusterId", o.ClusterId), ("ServiceId", o.ServiceId) })
            if (string.IsNullOrWhiteSpace(id) || id.Length > 63 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                failures.Add($"Hub:{key}: \"{id}\" must be 1-63 letters, digits or '-' (it names the hub's tables and rows)");
        if (o.AdvertisedAddress is { } address && !System.Net.IPAddress.TryParse(address, out _))
            failures.Add($"Hub:AdvertisedAddress: \"{address}\" is not an IP address");
    }

    private static void CheckTls(HubTlsOptions tls, List<string> failures)
    {
        if (!tls.Enabled) return;
        var missing = false;
        foreach (var (key, file) in new[] { ("CertificateFile", tls.CertificateFile), ("KeyFile", tls.KeyFile), ("ClientCaFile", tls.ClientCaFile) })
        {
            if (string.IsNullOrWhiteSpace(file)) failures.Add($"Hub:Tls:{key}: required with the other Hub:Tls files (mutual TLS needs all three)");
            else if (!File.Exists(file)) failures.Add($"Hub:Tls:{key}: file \"{file}\" does not exist");
            else continue;
            missing = true;
        }
        if (missing) return;
        try
        {
            using var _ = PemCertificate.Load(tls.CertificateFile!, tls.KeyFile!);
        }
        catch (CryptographicException ex)
        {
            failures.Add($"Hub:Tls:KeyFile: \"{tls.CertificateFile}\" with \"{tls.KeyFile}\" is not a PEM certificate and its key: {ex.Message}");
        }
        try
        {
            _ = new CertificateTrust(tls.ClientCaFile!);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            failures.Add($"Hub:Tls:ClientCaFile: \"{tls.ClientCaFile}\" holds no PEM CA certificate: {ex.Message}");
        }
    }
}
