using System.Threading.RateLimiting;

namespace FleetL4.Agent;

/// <summary>
/// A client-side limit on requests to the member's API server, client-go style: <c>qps</c> per second on average,
/// bursts of up to <c>burst</c>. Callers wait for a token before each request, so parallel writers never exceed it.
/// </summary>
public sealed class RequestBudget : IAsyncDisposable
{
    private readonly TokenBucketRateLimiter _limiter;

    public RequestBudget(double qps, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        // Refilled in small steps, so a QPS of 200 is 2 tokens every 10 ms rather than 200 at the top of each second.
        var period = TimeSpan.FromMilliseconds(Math.Max(1, 1000 / qps));
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(qps * period.TotalSeconds)),
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public async ValueTask WaitAsync(CancellationToken ct)
    {
        using var lease = await _limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired) throw new InvalidOperationException("request budget refused a request");
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
