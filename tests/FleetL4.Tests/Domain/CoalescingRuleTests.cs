using FleetL4.Domain;
using Xunit;

namespace FleetL4.Tests.Domain;

public class CoalescingRuleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void The_first_call_ever_goes_at_once() =>
        Assert.Equal(TimeSpan.Zero, CoalescingRule.Due(null, Start, Window));

    [Theory]
    [InlineData(0, 200)]     // a change right after a call started waits for the whole window
    [InlineData(50, 150)]
    [InlineData(199, 1)]
    [InlineData(200, 0)]     // the window is over: leading edge again
    [InlineData(5_000, 0)]   // after a quiet period
    [InlineData(-30, 230)]   // a clock step backwards never makes it earlier than the window's end
    public void A_change_within_the_window_waits_for_its_end_and_after_it_goes_at_once(int msSinceLastCall, int expectedWaitMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedWaitMs), CoalescingRule.Due(Start, Start.AddMilliseconds(msSinceLastCall), Window));

    [Fact]
    public void A_zero_window_never_waits() =>
        Assert.Equal(TimeSpan.Zero, CoalescingRule.Due(Start, Start, TimeSpan.Zero));
}
