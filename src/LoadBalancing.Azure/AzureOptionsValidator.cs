using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Azure;

/// <summary>Checks section "FleetL4:Azure" at start: a missing or malformed value stops the silo with the key's name.</summary>
public sealed class AzureOptionsValidator : IValidateOptions<AzureOptions>
{
    private const string S = AzureOptions.Section;

    public ValidateOptionsResult Validate(string? name, AzureOptions o)
    {
        var failures = new List<string>();
        if (!Guid.TryParse(o.SubscriptionId, out _)) failures.Add($"{S}:SubscriptionId: \"{o.SubscriptionId}\" is not a subscription id (a GUID)");
        if (string.IsNullOrWhiteSpace(o.ResourceGroup) || o.ResourceGroup.Length > 90)
            failures.Add($"{S}:ResourceGroup: is required (1-90 characters)");
        if (string.IsNullOrWhiteSpace(o.Location) || o.Location.Any(char.IsWhiteSpace))
            failures.Add($"{S}:Location: is required (a region name such as eastus)");
        if (!ArmIds.IsVirtualNetwork(o.VirtualNetworkId))
            failures.Add($"{S}:VirtualNetworkId: \"{o.VirtualNetworkId}\" is not a VNet resource id (/subscriptions/.../resourceGroups/.../providers/Microsoft.Network/virtualNetworks/NAME)");
        if (o.InternalSubnetId is not null && !ArmIds.IsSubnet(o.InternalSubnetId))
            failures.Add($"{S}:InternalSubnetId: \"{o.InternalSubnetId}\" is not a subnet resource id (.../virtualNetworks/NAME/subnets/NAME)");
        if (!o.Endpoint.IsAbsoluteUri || o.Endpoint.Scheme != Uri.UriSchemeHttps)
            failures.Add($"{S}:Endpoint: \"{o.Endpoint}\" must be an absolute https URI (ARM refuses bearer tokens over http)");
        if (!Enum.IsDefined(o.Credential))
            failures.Add($"{S}:Credential: \"{o.Credential}\" is not one of {string.Join(", ", Enum.GetNames<AzureCredentialKind>())}");
        if (o.Credential == AzureCredentialKind.StaticToken && string.IsNullOrEmpty(o.StaticToken))
            failures.Add($"{S}:StaticToken: is required when {S}:Credential is StaticToken");
        if (o.CaCertificateFile is not null && CaProblem(o.CaCertificateFile) is { } problem)
            failures.Add($"{S}:CaCertificateFile: \"{o.CaCertificateFile}\" {problem}");
        if (o.WriteBudget is < 1 or > 100_000) failures.Add($"{S}:WriteBudget: {o.WriteBudget} must be from 1 to 100000");
        if (!AzureNames.IsValidLoadBalancerName(o.LoadBalancerName))
            failures.Add($"{S}:LoadBalancerName: \"{o.LoadBalancerName}\" must be 1-60 letters, digits, '-' or '_', starting with a letter or digit");
        foreach (var (key, value) in new[] { ("CoalescingWindow", o.CoalescingWindow), ("PollInterval", o.PollInterval), ("RetryMin", o.RetryMin), ("RetryMax", o.RetryMax), ("ResyncPeriod", o.ResyncPeriod) })
            if (value <= TimeSpan.Zero) failures.Add($"{S}:{key}: {value} must be greater than zero");
        if (o.OrphanGracePeriod < TimeSpan.Zero) failures.Add($"{S}:OrphanGracePeriod: {o.OrphanGracePeriod} must not be negative");
        if (o.ProbeIntervalSeconds < 5) failures.Add($"{S}:ProbeIntervalSeconds: {o.ProbeIntervalSeconds} must be at least 5 (Azure's minimum)");
        if (o.ProbeThreshold < 1) failures.Add($"{S}:ProbeThreshold: {o.ProbeThreshold} must be at least 1");
        if (o.IdleTimeoutMinutes is < 4 or > 30) failures.Add($"{S}:IdleTimeoutMinutes: {o.IdleTimeoutMinutes} must be from 4 to 30");

        // Per-LB limits (tests lower them to reach a limit).
        if (o.MaxFrontendsPerLoadBalancer < 1) failures.Add($"{S}:MaxFrontendsPerLoadBalancer: {o.MaxFrontendsPerLoadBalancer} must be at least 1");
        if (o.MaxRulesPerLoadBalancer < 1) failures.Add($"{S}:MaxRulesPerLoadBalancer: {o.MaxRulesPerLoadBalancer} must be at least 1");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? CaProblem(string file)
    {
        if (!File.Exists(file)) return "does not exist";
        try
        {
            using var _ = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(file));
            return null;
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            return $"is not a PEM certificate ({ex.Message})";
        }
    }
}
