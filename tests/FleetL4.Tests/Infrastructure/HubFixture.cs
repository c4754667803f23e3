namespace FleetL4.Tests.Infrastructure;

/// <summary>One two-silo hub shared by the grain scenario tests; each test uses its own namespace or clusters.</summary>
public sealed class HubFixture : IAsyncLifetime
{
    public FleetTestCluster Hub { get; private set; } = null!;

    public async Task InitializeAsync() => Hub = await FleetTestCluster.StartAsync();

    public async Task DisposeAsync() => await Hub.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class HubCollection : ICollectionFixture<HubFixture>
{
    public const string Name = "hub";
}
