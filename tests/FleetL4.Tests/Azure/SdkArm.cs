using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using FleetL4.FakeArm;

namespace FleetL4.Tests.Azure;

/// <summary>
/// An <see cref="ArmClient"/> for the fake, configured as the provider configures one for an emulator: the
/// endpoint as ArmEnvironment, a static bearer token, the fake's CA trusted as an extra root (revocation not
/// checked: the test CA has no CRL), api-versions pinned.
/// </summary>
internal static class SdkArm
{
    public static readonly string[] PinnedTypes =
        ["Microsoft.Network/loadBalancers", "Microsoft.Network/publicIPAddresses", "Microsoft.Network/loadBalancers/backendAddressPools"];

    public static ArmClient Create(FakeArmServer arm, bool pinApiVersions = true)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(arm.CaCertificatePemPath));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(arm.Endpoint, "https://management.azure.com/"),
            Transport = new HttpClientTransport(handler),
        };
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        if (pinApiVersions)
            foreach (var type in PinnedTypes) options.SetApiVersion(new ResourceType(type), ArmBodies.ApiVersion);
        return new ArmClient(new StaticToken(arm.Token), arm.SubscriptionId, options);
    }

    /// <summary>
    /// Polls an operation every 20 ms until it ends (Azure.Core's own waits poll once a second against a fast fake).
    /// A failed or canceled operation throws its <see cref="global::Azure.RequestFailedException"/>.
    /// </summary>
    public static async Task<T> WaitAsync<T>(ArmOperation<T> operation)
    {
        await PollAsync(operation);
        return operation.Value;
    }

    public static async Task PollAsync(global::Azure.Operation operation)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            await operation.UpdateStatusAsync();
            if (operation.HasCompleted) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"operation {operation.Id} did not end");
            await Task.Delay(20);
        }
    }

    private sealed class StaticToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
