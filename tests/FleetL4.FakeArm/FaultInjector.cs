namespace FleetL4.FakeArm;

/// <summary>The injected faults, first injected first: a request takes at most one (the first that matches).</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<InjectedFault> _faults = [];

    public InjectedFault Inject(FakeArmFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Times, 1);
        var injected = new InjectedFault(fault);
        lock (_gate) _faults.Add(injected);
        return injected;
    }

    public void Clear()
    {
        lock (_gate) _faults.Clear();
    }

    public FakeArmFault? Take(string method, string path)
    {
        lock (_gate)
        {
            _faults.RemoveAll(f => f.Remaining == 0);
            return _faults.FirstOrDefault(f => f.TryStrike(method, path))?.Fault;
        }
    }
}
