namespace FleetL4.LoadBalancing.Azure.Budget;

/// <summary>
/// NRP allows <c>budget</c> writes per 5 minutes per subscription. A token bucket with a burst of a tenth of it and
/// a refill of the rest over 5 minutes never exceeds the budget in any 5-minute window (burst + refill = budget),
/// and spreads writes instead of spending them all at once and then stalling for minutes.
/// </summary>
public sealed class WriteBudget
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly double _capacity;
    private readonly double _perSecond;
    private double _tokens;
    private DateTimeOffset _at;
    private DateTimeOffset _parkedUntil;

    /// <param name="empty">Start with no tokens (refill only): see <see cref="StartsEmpty"/>.</param>
    public WriteBudget(int budget, DateTimeOffset now, bool empty = false)
    {
        _capacity = Math.Max(1, budget / 10);
        _perSecond = Math.Max(1, budget - _capacity) / Window.TotalSeconds;
        _tokens = empty ? 0 : _capacity;
        _at = now;
    }

    /// <summary>
    /// Whether a new activation of the budget (after a silo loss, say) must start empty. The previous one may have
    /// spent its burst and its refill in the last 5 minutes; a full burst on top would let one window hold up to
    /// budget + burst. Starting empty is always safe: any window then holds at most the old bucket's burst plus one
    /// refill rate over the whole window, which is the budget. A full burst is given only when the previous
    /// activation ended (cleanly) at least a window ago, or there was none.
    /// </summary>
    /// <param name="previousStart">When the previous activation started (null: there was none).</param>
    /// <param name="previousEnd">When it ended cleanly (null: it did not say, so it may have lived until now).</param>
    public static bool StartsEmpty(DateTimeOffset? previousStart, DateTimeOffset? previousEnd, DateTimeOffset now) =>
        previousStart is { } start && (previousEnd is not { } end || end < start || now - end < Window);

    /// <summary>Writes per second it sustains.</summary>
    public double Rate => _perSecond;

    public DateTimeOffset ParkedUntil => _parkedUntil;

    /// <summary>Takes one write now (returns zero) or says how long to wait before asking again (takes nothing).</summary>
    public TimeSpan TryTake(DateTimeOffset now)
    {
        if (now < _parkedUntil) return _parkedUntil - now;
        Refill(now);
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return TimeSpan.Zero;
        }
        return TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
    }

    /// <summary>ARM said 429 for the whole subscription: nothing until then, and nothing saved up meanwhile counts.</summary>
    public void Park(DateTimeOffset until, DateTimeOffset now)
    {
        if (until <= _parkedUntil) return;
        _parkedUntil = until;
        Refill(now);
        _tokens = 0;
        _at = until;
    }

    private void Refill(DateTimeOffset now)
    {
        if (now <= _at) return;
        _tokens = Math.Min(_capacity, _tokens + (now - _at).TotalSeconds * _perSecond);
        _at = now;
    }
}
