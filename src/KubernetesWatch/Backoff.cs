namespace FleetL4.KubernetesWatch;

/// <summary>Capped exponential backoff with full jitter, so that many agents do not retry in step.</summary>
public sealed class Backoff(TimeSpan min, TimeSpan max)
{
    private TimeSpan _ceiling = TimeSpan.Zero;

    public TimeSpan Next()
    {
        _ceiling = _ceiling == TimeSpan.Zero ? min : TimeSpan.FromTicks(Math.Min(_ceiling.Ticks * 2, max.Ticks));
        return TimeSpan.FromMilliseconds(min.TotalMilliseconds + Random.Shared.NextDouble() * (_ceiling - min).TotalMilliseconds);
    }

    public void Reset() => _ceiling = TimeSpan.Zero;
}
