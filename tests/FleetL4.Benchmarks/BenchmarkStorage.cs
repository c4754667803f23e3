namespace FleetL4.Benchmarks;

/// <summary>Where the in-process hub keeps grain state and reminders (--storage).</summary>
public enum BenchmarkStorage
{
    /// <summary>Memory grain storage and reminders, as the embedded hub (Hub:Storage=Memory).</summary>
    Memory,

    /// <summary>Blobs and a reminder table in an Azurite started for the run, as Hub:Storage=AzureStorage.</summary>
    Azurite,
}
