namespace FleetL4.Benchmarks.ApplyToRoute;

/// <summary>
/// Holds /24 blocks of 127/8 for the life of this process: an exclusive lock on a file per block in the folder the
/// test suite's LoopbackBlock uses (the OS drops the locks however this process ends), so two runs of this benchmark
/// never share frontend addresses. The blocks here (127.0.80-82) are outside the tests' range (127.128 and up).
/// </summary>
public sealed class LoopbackHold : IDisposable
{
    private static readonly string LockFolder = Path.Combine(Path.GetTempPath(), "fleetl4-loopback");
    private readonly List<FileStream> _held = [];

    public LoopbackHold(params string[] prefixes)
    {
        Directory.CreateDirectory(LockFolder);
        try
        {
            foreach (var prefix in prefixes)
            {
                try
                {
                    _held.Add(new FileStream(Path.Combine(LockFolder, $"{prefix}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException)
                {
                    throw new InvalidOperationException($"{prefix}.0/24 is held by another process (another run of this benchmark?)");
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var file in _held) file.Dispose();
        _held.Clear();
    }
}
