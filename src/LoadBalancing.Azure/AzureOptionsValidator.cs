using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace FleetL4.LoadBalancing.Azure;

/// <summary>Checks section "FleetL4:Azure" at start: a missing or malformed value stops the silo with the key's name.</summary>
public sealed class AzureOptionsValidator(IOptions<ReminderOptions>? reminders = null) : IValidateOptions<AzureOptions>
{
    private const string S = AzureOptions.Section;

    /// <summary>ResyncPeriod is a reminder's period, and Orleans refuses one below this (1 minute unless a test lowers it).</summary>
    private readonly TimeSpan _minimumReminderPeriod = reminders?.Value.MinimumReminderPeriod ?? TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, AzureOptions o)
    {
        var failures = new List<string>();
        // ARM paths carry the id as 8-4-4-4-12 hex digits; another GUID form ({...}, no hyphens) names no subscription.
        if (string.IsNullOrWhiteSpace(o.SubscriptionId)) failures.Add($"{S}:SubscriptionId: is required (the subscription's id, a GUID)");
        else if (!Guid.TryParseExact(o.SubscriptionId, "D", out _) || o.SubscriptionId.Trim() != o.SubscriptionId)
            failures.Add($"{S}:SubscriptionId: \"{o.SubscriptionId}\" is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)");
        if (string.IsNullOrWhiteSpace(o.ResourceGroup)) failures.Add($"{S}:ResourceGroup: is required (the resource group of the load balancers and public IPs)");
        else if (!ArmIds.IsResourceGroupName(o.ResourceGroup))
            failures.Add($"{S}:ResourceGroup: \"{o.ResourceGroup}\" must be 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.' (ARM's rule)");
        if (string.IsNullOrWhiteSpace(o.Location)) failures.Add($"{S}:Location: is required (a region name such as eastus)");
        else if (o.Location.Any(char.IsWhiteSpace))
            failures.Add($"{S}:Location: \"{o.Location}\" is not a region name (such as eastus; `az account list-locations -o table` lists them)");
        if (string.IsNullOrWhiteSpace(o.VirtualNetworkId)) failures.Add($"{S}:VirtualNetworkId: is required (the id of the VNet the pod IPs are in)");
        else if (!ArmIds.IsVirtualNetwork(o.VirtualNetworkId))
            failures.Add($"{S}:VirtualNetworkId: \"{o.VirtualNetworkId}\" is not a VNet resource id (/subscriptions/.../resourceGroups/.../providers/Microsoft.Network/virtualNetworks/NAME)");
        if (o.InternalSubnetId is not null && !ArmIds.IsSubnet(o.InternalSubnetId))
            failures.Add($"{S}:InternalSubnetId: \"{o.InternalSubnetId}\" is not a subnet resource id (.../virtualNetworks/NAME/subnets/NAME)");
        // Azure wants an IP-based pool's addresses in the VNet of the load balancer, so an internal frontend's subnet is in it.
        else if (o.InternalSubnetId is not null && o.VirtualNetworkId is { } vnet && ArmIds.IsVirtualNetwork(vnet)
                 && !o.InternalSubnetId.StartsWith(vnet + "/subnets/", StringComparison.OrdinalIgnoreCase))
            failures.Add($"{S}:InternalSubnetId: \"{o.InternalSubnetId}\" is not a subnet of {S}:VirtualNetworkId (an internal frontend and its pool's addresses share one VNet)");
        if (!o.Endpoint.IsAbsoluteUri || o.Endpoint.Scheme != Uri.UriSchemeHttps)
            failures.Add($"{S}:Endpoint: \"{o.Endpoint}\" must be an absolute https URI (ARM refuses bearer tokens over http, and so does the Azure SDK)");
        if (!Enum.IsDefined(o.Credential))
            failures.Add($"{S}:Credential: \"{o.Credential}\" is not one of {string.Join(", ", Enum.GetNames<AzureCredentialKind>())}");
        if (o.Credential == AzureCredentialKind.StaticToken && string.IsNullOrWhiteSpace(o.StaticToken))
            failures.Add($"{S}:StaticToken: is required when {S}:Credential is StaticToken");
        if (o.CaCertificateFile is not null && CaProblem(o.CaCertificateFile) is { } problem)
            failures.Add($"{S}:CaCertificateFile: \"{o.CaCertificateFile}\" {problem}");
        if (o.WriteBudget is < 1 or > 100_000) failures.Add($"{S}:WriteBudget: {o.WriteBudget} must be from 1 to 100000");
        if (!AzureNames.IsValidLoadBalancerName(o.LoadBalancerName))
            failures.Add($"{S}:LoadBalancerName: \"{o.LoadBalancerName}\" must be 1-60 letters, digits, '-' or '_', starting with a letter or digit");
        foreach (var (key, value) in new[] { ("CoalescingWindow", o.CoalescingWindow), ("PollInterval", o.PollInterval), ("RetryMin", o.RetryMin), ("RetryMax", o.RetryMax), ("ResyncPeriod", o.ResyncPeriod) })
            if (value <= TimeSpan.Zero) failures.Add($"{S}:{key}: {value} must be greater than zero");
        if (o.ResyncPeriod > TimeSpan.Zero && o.ResyncPeriod < _minimumReminderPeriod)
            failures.Add($"{S}:ResyncPeriod: {o.ResyncPeriod} must be at least {_minimumReminderPeriod} (Orleans' minimum reminder period)");
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read ({ex.Message})";
        }
    }
}
