namespace FleetL4.FakeArm;

/// <summary>
/// NRP's request budget for one subscription: at most <c>limit</c> requests in any 5 minutes (a sliding window).
/// A refused request does not count. When the budget is spent, Retry-After says when the oldest request in the
/// window leaves it.
/// </summary>
internal sealed class RequestBudget(int limit)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Queue<DateTimeOffset> _taken = new();

    public int Remaining(DateTimeOffset now)
    {
        Expire(now);
        return limit - _taken.Count;
    }

    /// <summary>Takes one request from the budget, or says how long until one is free.</summary>
    public bool TryTake(DateTimeOffset now, out int remaining, out TimeSpan retryAfter)
    {
        Expire(now);
        if (_taken.Count >= limit)
        {
            remaining = 0;
            var wait = _taken.Peek() + Window - now;
            retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
            return false;
        }
        _taken.Enqueue(now);
        remaining = limit - _taken.Count;
        retryAfter = TimeSpan.Zero;
        return true;
    }

    private void Expire(DateTimeOffset now)
    {
        while (_taken.Count > 0 && _taken.Peek() <= now - Window) _taken.Dequeue();
    }
}
