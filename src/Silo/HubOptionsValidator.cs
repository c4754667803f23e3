using Microsoft.Extensions.Options;

namespace FleetL4.Silo;

/// <summary>Checks section "Hub" before the silo is built from it.</summary>
public sealed class HubOptionsValidator : IValidateOptions<HubOptions>
{
    public ValidateOptionsResult Validate(string? name, HubOptions o)
    {
        var failures = new List<string>();
        if (o.SiloPort is < 1 or > 65535) failures.Add($"Hub:SiloPort: {o.SiloPort} is outside 1..65535");
        if (o.GatewayPort is < 1 or > 65535) failures.Add($"Hub:GatewayPort: {o.GatewayPort} is outside 1..65535");
        if (o.SiloPort == o.GatewayPort) failures.Add($"Hub:GatewayPort: {o.GatewayPort} is also Hub:SiloPort");
        if (!Uri.TryCreate(o.DashboardUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            failures.Add($"Hub:DashboardUrl: \"{o.DashboardUrl}\" is not an http(s) URL");
        if (!Enum.IsDefined(o.Clustering))
            failures.Add($"Hub:Clustering: \"{o.Clustering}\" is not one of {string.Join(", ", Enum.GetNames<HubClustering>())}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
