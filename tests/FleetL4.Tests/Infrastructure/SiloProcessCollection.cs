namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// Tests that run hubs of several silo processes on Azurite and kill them. They run alone, after the parallel tests:
/// on a 2-core machine shared with the rest of the suite a joining silo can miss its 2 s membership probes and be
/// voted dead, which is the machine's doing, not the hub's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloProcessCollection
{
    public const string Name = "Silo processes";
}
