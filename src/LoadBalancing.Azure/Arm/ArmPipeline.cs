using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Azure;
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
        options.AddPolicy(new UnansweredRequestPolicy(o.Endpoint), HttpPipelinePosition.PerRetry);
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

    /// <summary>
    /// Azure.Core reports a request that got no answer (refused, DNS, TLS) as a RequestFailedException with status 0
    /// and the reason two inner exceptions down. Callers retry an HttpRequestException, and what they log and show in
    /// describe is its message, so it names the endpoint, the reason, and for TLS the key that adds a trusted CA.
    /// </summary>
    private sealed class UnansweredRequestPolicy(Uri endpoint) : HttpPipelinePolicy
    {
        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            catch (RequestFailedException ex) when (ex is { Status: 0, InnerException: HttpRequestException http })
            {
                throw Unanswered(http);
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                ProcessNext(message, pipeline);
            }
            catch (RequestFailedException ex) when (ex is { Status: 0, InnerException: HttpRequestException http })
            {
                throw Unanswered(http);
            }
        }

        private HttpRequestException Unanswered(HttpRequestException http)
        {
            var reasons = new List<string>();
            for (Exception? e = http; e is not null; e = e.InnerException)
                reasons.Add(e.Message.Replace(", see inner exception", "", StringComparison.Ordinal).TrimEnd('.'));
            var message = http.InnerException is System.Security.Authentication.AuthenticationException
                ? $"TLS with ARM at {endpoint} failed ({string.Join(": ", reasons)}); its certificate must chain to a CA the system trusts or to {AzureOptions.Section}:CaCertificateFile"
                : $"ARM at {endpoint} did not answer ({string.Join(": ", reasons)})";
            return new HttpRequestException(http.HttpRequestError, message, http);
        }
    }

    private sealed class PipelineAccess(ArmClient client) : ArmResource(client, new ResourceIdentifier("/"))
    {
        public new HttpPipeline Pipeline => base.Pipeline;
    }
}
