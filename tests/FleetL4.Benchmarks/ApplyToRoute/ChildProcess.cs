using System.Collections.Concurrent;
using System.Diagnostics;

namespace FleetL4.Benchmarks.ApplyToRoute;

/// <summary>
/// A process this benchmark started (a hub, a CLI call): output to a log file, stopped with SIGTERM and then killed
/// if it does not exit in time. Whatever is still running when this process exits is killed.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _readyLine;
    private readonly Lock _lock = new();

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    };

    private ChildProcess(Process process, string logPath, string? readyLine)
    {
        _process = process;
        _readyLine = readyLine;
        LogPath = logPath;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public string LogPath { get; }

    public Process Process => _process;

    /// <summary>Starts <c>dotnet <paramref name="dll"/> args</c> with no FleetL4__/Hub__ variables from this environment (so the child runs on its defaults and its arguments).</summary>
    public static ChildProcess StartDotnet(string dll, IEnumerable<string> args, string logPath, string? readyLine = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("FleetL4__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("Hub__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("FLEETL4_", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        var process = new Process { StartInfo = psi };
        var child = new ChildProcess(process, logPath, readyLine);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Until the ready line is printed; throws if the process exits first or the time runs out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var exited = _process.WaitForExitAsync(ct);
        var done = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout, ct));
        ct.ThrowIfCancellationRequested();
        if (done != _ready.Task)
            throw new InvalidOperationException($"{_process.StartInfo.ArgumentList[0]} {(exited.IsCompleted ? "exited" : "did not print its ready line in time")}; log: {LogPath}");
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        _process.WaitForExit(); // the output events have all run
        Running.TryRemove(_process.Id, out _);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM (the hub stops gracefully), then a kill after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
                await kill!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
        lock (_lock) _log.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_lock) _log.WriteLine(line);
        if (_readyLine is not null && line.Contains(_readyLine, StringComparison.Ordinal)) _ready.TrySetResult();
    }
}
