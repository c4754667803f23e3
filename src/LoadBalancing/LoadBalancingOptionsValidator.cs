using System.Net.Sockets;
using FleetL4.Models;
using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing;

/// <summary>Checks the load-balancing keys at start, so a bad value stops the silo with the key's name.</summary>
public sealed class LoadBalancingOptionsValidator : IValidateOptions<LoadBalancingOptions>
{
    public ValidateOptionsResult Validate(string? name, LoadBalancingOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
            failures.Add($"FleetL4:Provider: \"{options.Provider}\" is not one of {string.Join(", ", Enum.GetNames<LoadBalancerProviderKind>())}");
        Pool(options.FrontendPool, AddressFamily.InterNetwork, "FleetL4:FrontendPool", failures);
        Pool(options.FrontendPoolIPv6, AddressFamily.InterNetworkV6, "FleetL4:FrontendPoolIPv6", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Pool(string cidr, AddressFamily family, string key, List<string> failures)
    {
        try { _ = new FrontendIpPool(cidr, family, key); }
        catch (FleetValidationException ex) { failures.Add(ex.Message); }
    }
}
