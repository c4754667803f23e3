namespace FleetL4.Agent;

/// <summary>
/// A client-side limit on requests to the member's API server, client-go style: <c>qps</c> per second on average,
/// bursts of up to <c>burst</c>. Callers wait for a token before each request, so parallel writers never exceed it.
/// The bucket is refilled from the clock when a token is asked for: no timer runs, so an idle agent costs nothing
/// (a timer-driven limiter ticking every 5 ms cost an idle agent about a tenth of a core).
/// </summary>
public sealed class RequestBudget(double qps, int burst, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _turn = new(1, 1); // one waiter at a time, in arrival order
    private double _tokens = burst;
    private long _refilled = (clock ?? TimeProvider.System).GetTimestamp();

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        await _turn.WaitAsync(ct);
        try
        {
            while (true)
            {
                var now = _clock.GetTimestamp();
                _tokens = Math.Min(burst, _tokens + _clock.GetElapsedTime(_refilled, now).TotalSeconds * qps);
                _refilled = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds((1 - _tokens) / qps), _clock, ct);
            }
        }
        finally
        {
            _turn.Release();
        }
    }
}
