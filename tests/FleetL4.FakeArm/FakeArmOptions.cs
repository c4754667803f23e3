using System.Net;

namespace FleetL4.FakeArm;

/// <summary>What the fake ARM serves: one subscription in one location, its resource groups and virtual network.</summary>
public sealed class FakeArmOptions
{
    public string SubscriptionId { get; init; } = "00000000-0000-0000-0000-00000000f1ee";

    /// <summary>The region of the virtual network (internal frontends must be in it) and of the operation URLs.</summary>
    public string Location { get; init; } = "eastus";

    /// <summary>Resource groups that exist; a PUT into any other answers 404 ResourceGroupNotFound.</summary>
    public IReadOnlyList<string> ResourceGroups { get; init; } = ["fleetl4"];

    public FakeVirtualNetwork VirtualNetwork { get; init; } = new();

    /// <summary>The bearer token every request must carry; null: a random one (see <see cref="FakeArmServer.Token"/>).</summary>
    public string? Token { get; init; }

    /// <summary>Microsoft.Network api-versions served, newest first (the provider registration lists them in this order).</summary>
    public IReadOnlyList<string> ApiVersions { get; init; } = ["2024-05-01", "2024-03-01", "2024-01-01", "2023-11-01", "2023-09-01"];

    /// <summary>How long a long-running operation stays InProgress: a random time between the two (real time).</summary>
    public TimeSpan MinOperationDuration { get; init; } = TimeSpan.Zero;

    public TimeSpan MaxOperationDuration { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary><c>Retry-After</c> seconds on 201/202 answers and InProgress polls (NRP sends 10); null: none.</summary>
    public int? OperationRetryAfterSeconds { get; init; }

    /// <summary>Microsoft.Network writes and deletes allowed per subscription in any 5 minutes (NRP's limit: 1,000).</summary>
    public int WritesPer5Minutes { get; init; } = 1_000;

    /// <summary>Reads allowed per subscription in any 5 minutes (NRP's limit: 10,000).</summary>
    public int ReadsPer5Minutes { get; init; } = 10_000;

    /// <summary>
    /// The clock of the 5-minute budget windows, of Retry-After (and of their violations) and of the request log.
    /// Operation durations and slow answers are real time, so a test with a manual clock still sees LROs finish.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Standard Load Balancer limits; lower them to reach a limit in a test.</summary>
    public int MaxFrontendsPerLoadBalancer { get; init; } = 600;

    public int MaxRulesPerLoadBalancer { get; init; } = 1_500;

    public int MaxAddressesPerPool { get; init; } = 5_000;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(SubscriptionId)) throw new ArgumentException("SubscriptionId is required");
        if (string.IsNullOrWhiteSpace(Location)) throw new ArgumentException("Location is required");
        if (ApiVersions.Count == 0) throw new ArgumentException("ApiVersions must list at least one version");
        if (MinOperationDuration < TimeSpan.Zero || MaxOperationDuration < MinOperationDuration)
            throw new ArgumentException("need 0 <= MinOperationDuration <= MaxOperationDuration");
        if (WritesPer5Minutes < 1 || ReadsPer5Minutes < 1) throw new ArgumentException("budgets must be positive");
        foreach (var subnet in VirtualNetwork.Subnets)
        foreach (var prefix in subnet.AddressPrefixes)
            if (!IPNetwork.TryParse(prefix, out _)) throw new ArgumentException($"subnet {subnet.Name}: '{prefix}' is not a CIDR prefix");
    }
}

/// <summary>The virtual network the pod IPs and internal frontends live in.</summary>
public sealed record FakeVirtualNetwork
{
    public string ResourceGroup { get; init; } = "fleetl4-network";

    public string Name { get; init; } = "fleet-vnet";

    public IReadOnlyList<string> AddressPrefixes { get; init; } = ["10.224.0.0/12", "fd00:f1ee::/48"];

    public IReadOnlyList<FakeSubnet> Subnets { get; init; } =
    [
        new("pods", "10.224.0.0/16", "fd00:f1ee::/64"),
        new("internal-lb", "10.225.0.0/24", "fd00:f1ee:0:1::/64"),
    ];
}

/// <summary>A subnet: internal frontends take their private address from its prefixes.</summary>
public sealed record FakeSubnet(string Name, params IReadOnlyList<string> AddressPrefixes);
