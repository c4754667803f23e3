namespace FleetL4.Domain;

/// <summary>
/// When a load balancer's next provider call may start: at once when the last one started a full window ago (or
/// never), else when that window ends. The first change after a quiet period goes out without waiting; changes within
/// the window after it wait for one trailing call, so a burst costs two calls at most per window.
/// </summary>
public static class CoalescingRule
{
    public static TimeSpan Due(DateTimeOffset? lastCallStarted, DateTimeOffset now, TimeSpan window)
    {
        if (lastCallStarted is not { } last) return TimeSpan.Zero;
        var wait = last + window - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
