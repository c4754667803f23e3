namespace FleetL4.Benchmarks;

/// <summary>Cuts the hub's storage calls into the benchmark's phases: each mark closes the phase since the last one.</summary>
public sealed class PhaseStorage(StorageCounter counter, BenchmarkResult result)
{
    private StorageSnapshot _last = StorageSnapshot.Empty;

    public void Mark(string phase, long updates)
    {
        var now = counter.Snapshot();
        var phaseResult = new StoragePhase(phase, updates, now.Since(_last));
        _last = now;
        result.StoragePhases.Add(phaseResult);
        FleetBenchmark.Log($"storage, {phase}: {phaseResult.Activity.Describe()}"
            + (phaseResult.WritesPerUpdate is { } perUpdate ? $"; {perUpdate:0.0000} writes per update" : ""));
    }
}
