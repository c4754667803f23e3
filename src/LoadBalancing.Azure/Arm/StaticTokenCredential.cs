using Azure.Core;

namespace FleetL4.LoadBalancing.Azure.Arm;

/// <summary>A fixed bearer token (FleetL4:Azure:StaticToken), for emulators and tests.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
