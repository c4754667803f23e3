using System.Diagnostics.Metrics;

namespace FleetL4.Telemetry;

/// <summary>
/// One object's contribution to an up/down counter by tag value: moving it from one state to another adds -1 to the
/// old value and +1 to the new, so the counter tells how many objects are in each state now without anyone polling
/// them. Null is "not counted" (an object that left, a grain that deactivated). Used from one grain turn at a time.
/// </summary>
public sealed class StateTally(UpDownCounter<long> counter, string tag)
{
    private string? _state;

    public void Set(string? state)
    {
        if (state == _state) return;
        if (_state is not null) counter.Add(-1, new KeyValuePair<string, object?>(tag, _state));
        if (state is not null) counter.Add(1, new KeyValuePair<string, object?>(tag, state));
        _state = state;
    }
}
