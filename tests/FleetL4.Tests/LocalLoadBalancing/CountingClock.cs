using Microsoft.Extensions.Time.Testing;

namespace FleetL4.Tests.LocalLoadBalancing;

/// <summary>A <see cref="FakeTimeProvider"/> that counts timer callbacks, so a test can show an idle listener sets off none.</summary>
internal sealed class CountingClock(FakeTimeProvider inner) : TimeProvider
{
    private int _callbacks;

    public int Callbacks => Volatile.Read(ref _callbacks);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(s =>
        {
            Interlocked.Increment(ref _callbacks);
            callback(s);
        }, state, dueTime, period);
}
