using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Grains;

/// <summary>
/// A failing provider is retried from 50 ms doubling up to 400 ms, and neither the MCS's sync reminder (1 s here) nor
/// new changes arriving all the time cut a pending backoff short (that would hammer a throttling provider).
/// </summary>
public sealed class ProviderBackoffTests : IAsyncLifetime
{
    private static readonly TimeSpan RetryMin = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryMax = TimeSpan.FromMilliseconds(400);
    private FleetTestCluster _hub = null!;

    public async Task InitializeAsync() => _hub = await FleetTestCluster.StartAsync(o =>
    {
        o.ProviderRetryMin = RetryMin;
        o.ProviderRetryMax = RetryMax;
    });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task A_failing_provider_is_retried_with_delays_doubling_from_the_minimum_up_to_the_maximum_and_staying_there()
    {
        const string ns = "backoff";
        var fleet = _hub.Fleet;
        await fleet.JoinClusterAsync("aks-member-1", Seed.EastUs);
        await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.74.0.1")));
        var id = GrainKeys.MultiClusterService("aks-member-1", ns, "kuard");
        _hub.Provider.Failing = true;
        IReadOnlyList<TimeSpan> failures;
        try
        {
            await fleet.ApplyMultiClusterServiceAsync("aks-member-1", Seed.Mcs(ns));
            // 50 + 100 + 200 + 400 + 400 + 400 + 400 ms: about 2 s of outage for eight attempts, with the member
            // changing its endpoints every look meanwhile.
            var change = 0;
            failures = await Eventually.Get(async () =>
            {
                await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.74.0.1", $"10.74.1.{++change % 250 + 1}")));
                return _hub.Provider.FailureTimes(id);
            }, f => f.Count >= 8, "eight failed attempts");
            await fleet.ReportServiceExportAsync("aks-member-1", Seed.Export(ns, Seed.T0, Seed.Ready("10.74.0.1")));
        }
        finally
        {
            _hub.Provider.Failing = false;
        }

        // Lower bounds only: a busy machine fires timers late, never much early. The slack covers timer granularity
        // (a 400 ms grain timer was seen to fire 3 ms early here) and is far below the 50 ms between any two steps,
        // so a constant (or shrinking) delay fails here.
        var slack = TimeSpan.FromMilliseconds(10);
        var step = RetryMin;
        var gaps = new List<string>();
        for (var i = 1; i < 8; i++)
        {
            var gap = failures[i] - failures[i - 1];
            gaps.Add($"{gap.TotalMilliseconds:F0}ms (>= {step.TotalMilliseconds:F0}ms)");
            Assert.True(gap >= step - slack, $"attempt {i + 1} came {gap.TotalMilliseconds:F0} ms after the one before; expected at least {step.TotalMilliseconds:F0} ms. Gaps: {string.Join(", ", gaps)}");
            step = TimeSpan.FromTicks(Math.Min(step.Ticks * 2, RetryMax.Ticks));
        }
        // The outage ended: the next retry converges and the backoff starts over.
        await _hub.WaitForBackendsAsync(id, "10.74.0.1");
    }
}
