using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;

namespace FleetL4.LoadBalancing.Azure.Arm;

/// <summary>
/// The ArmClient's own HTTP pipeline (auth, telemetry), reached through an ArmResource, so raw requests with
/// If-Match still go through it. Azure.Core's retries are off: 429s and busy resources are handled by the callers,
/// which must park instead of retrying blindly.
/// </summary>
public static class ArmPipeline
{
    public static HttpPipeline Create(AzureOptions o)
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(o.Endpoint, Audience(o.Endpoint)),
        };
        options.Retry.MaxRetries = 0;
        if (o.CaCertificateFile is { } ca) options.Transport = new HttpClientTransport(TrustingHandler(ca));
        TokenCredential credential = o.Credential == AzureCredentialKind.StaticToken
            ? new StaticTokenCredential(o.StaticToken!)
            : new DefaultAzureCredential();
        var client = new ArmClient(credential, o.SubscriptionId, options);
        return new PipelineAccess(client).Pipeline;
    }

    private static string Audience(Uri endpoint) =>
        endpoint.Host == "management.azure.com" ? "https://management.azure.com/" : endpoint.GetLeftPart(UriPartial.Authority) + "/";

    /// <summary>Trusts the system's roots and one extra CA (an emulator's). Revocation is not checked for that CA:
    /// a test CA has no CRL.</summary>
    private static HttpClientHandler TrustingHandler(string caFile)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None) return true;
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }

    private sealed class PipelineAccess(ArmClient client) : ArmResource(client, new ResourceIdentifier("/"))
    {
        public new HttpPipeline Pipeline => base.Pipeline;
    }
}
