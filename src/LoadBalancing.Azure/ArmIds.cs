using System.Text.RegularExpressions;

namespace FleetL4.LoadBalancing.Azure;

/// <summary>Resource ids of the Microsoft.Network objects FleetL4 writes, built in one place.</summary>
public static partial class ArmIds
{
    [GeneratedRegex(@"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+\z", RegexOptions.IgnoreCase)]
    private static partial Regex VirtualNetwork();

    [GeneratedRegex(@"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+/subnets/[^/]+\z", RegexOptions.IgnoreCase)]
    private static partial Regex Subnet();

    /// <summary>ARM's rule for resource group names: 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.</summary>
    [GeneratedRegex(@"^[-\w._()]{0,89}[-\w_()]\z")]
    private static partial Regex ResourceGroupName();

    public static bool IsResourceGroupName(string? name) => name is not null && ResourceGroupName().IsMatch(name);

    public static bool IsVirtualNetwork(string? id) => id is not null && VirtualNetwork().IsMatch(id);
    public static bool IsSubnet(string? id) => id is not null && Subnet().IsMatch(id);

    public static string ResourceGroup(AzureOptions o) => $"/subscriptions/{o.SubscriptionId}/resourceGroups/{o.ResourceGroup}";
    public static string Network(AzureOptions o) => $"{ResourceGroup(o)}/providers/Microsoft.Network";
    public static string LoadBalancer(AzureOptions o, string name) => $"{Network(o)}/loadBalancers/{name}";
    public static string PublicIp(AzureOptions o, string name) => $"{Network(o)}/publicIPAddresses/{name}";
    public static string Pool(AzureOptions o, string lb, string pool) => $"{LoadBalancer(o, lb)}/backendAddressPools/{pool}";
    public static string Frontend(AzureOptions o, string lb, string name) => $"{LoadBalancer(o, lb)}/frontendIPConfigurations/{name}";
    public static string Probe(AzureOptions o, string lb, string name) => $"{LoadBalancer(o, lb)}/probes/{name}";

    /// <summary>The last segment of an id (a sub-resource's name).</summary>
    public static string NameOf(string id) => id[(id.LastIndexOf('/') + 1)..];
}
