using FleetL4.Domain;
using Xunit;

namespace FleetL4.Tests.Domain;

public class LeaseRuleTests
{
    private static readonly DateTimeOffset Last = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(60, 3, 180)]
    [InlineData(60, 1, 60)]
    [InlineData(5, 4, 20)]
    [InlineData(60, 0, 0)]
    public void Duration_is_interval_times_missed_heartbeats(int intervalSeconds, int missed, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), LeaseRule.Duration(TimeSpan.FromSeconds(intervalSeconds), missed));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(60_000, true)]
    [InlineData(179_999, true)]
    [InlineData(180_000, true)]    // exactly N intervals: the Nth heartbeat is due, not yet missed
    [InlineData(180_001, false)]
    [InlineData(3_600_000, false)]
    [InlineData(-5_000, true)]     // a heartbeat stamped slightly in the future (clock skew) is live
    public void IsLive_until_N_heartbeats_are_missed(int elapsedMilliseconds, bool live)
    {
        Assert.Equal(live, LeaseRule.IsLive(Last, Last.AddMilliseconds(elapsedMilliseconds), Heartbeat, 3));
    }

    [Fact]
    public void IsLive_compares_instants_across_offsets()
    {
        var now = new DateTimeOffset(2026, 1, 1, 14, 2, 0, TimeSpan.FromHours(2)); // 12:02Z
        Assert.True(LeaseRule.IsLive(Last, now, Heartbeat, 3));
        Assert.False(LeaseRule.IsLive(Last, now, Heartbeat, 1));
    }
}
