namespace FleetL4.Runtime;

/// <summary>
/// Runs a grain's work as one non-interleaved timer turn, at most one pending: asking for an earlier time moves it
/// sooner, a later one is ignored. A turn never overlaps another (or any call to the grain), which is what keeps
/// at most one provider call or ARM write in flight. Shared by the grains that coalesce changes this way.
/// </summary>
public sealed class TurnTimer(IGrainBase grain, TimeProvider clock, Func<CancellationToken, Task> turn)
{
    private IGrainTimer? _timer;
    private DateTimeOffset _due;

    /// <summary>A turn is scheduled and has not started.</summary>
    public bool Pending => _timer is not null;

    public void Schedule(TimeSpan due)
    {
        var at = clock.GetUtcNow() + due;
        if (_timer is not null && _due <= at) return;
        _timer?.Dispose();
        _due = at;
        _timer = grain.RegisterGrainTimer(Fire, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }

    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task Fire(CancellationToken cancellationToken)
    {
        // Disposing a timer cancels the token of its running callback: dispose this one only once it is done.
        var fired = _timer;
        _timer = null;
        try
        {
            await turn(cancellationToken);
        }
        finally
        {
            fired?.Dispose();
        }
    }
}
