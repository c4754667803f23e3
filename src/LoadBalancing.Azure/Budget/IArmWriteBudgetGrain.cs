namespace FleetL4.LoadBalancing.Azure.Budget;

/// <summary>The Microsoft.Network write budget of one subscription (key: subscription id), shared by every silo.</summary>
[Alias("fleetl4.azure.IArmWriteBudgetGrain")]
public interface IArmWriteBudgetGrain : IGrainWithStringKey
{
    /// <summary>Zero: write now (one write taken). Otherwise how long to wait before asking again.</summary>
    [Alias("TryTake")] Task<TimeSpan> TryTake();

    /// <summary>ARM throttled the subscription: no write anywhere until <paramref name="until"/>.</summary>
    [Alias("Park")] Task Park(DateTimeOffset until);

    [Alias("ParkedUntil")] Task<DateTimeOffset?> ParkedUntil();
}
