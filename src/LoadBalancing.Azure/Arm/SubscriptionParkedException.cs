namespace FleetL4.LoadBalancing.Azure.Arm;

/// <summary>ARM throttled the subscription: no call is made before <see cref="Until"/>; the caller retries later.</summary>
public sealed class SubscriptionParkedException(DateTimeOffset until, Exception? cause = null)
    : Exception($"Azure subscription parked until {until:u} (throttled by ARM); no call before then", cause)
{
    public DateTimeOffset Until { get; } = until;
}
