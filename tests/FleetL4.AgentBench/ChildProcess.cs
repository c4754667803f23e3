using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FleetL4.AgentBench;

/// <summary>
/// A child process (the hub or the agent): output to a log file and a short tail, warnings and errors counted,
/// stopped with SIGTERM (killed if it does not stop in time). Every child still running when this process exits is
/// killed, however this process exits.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly List<string> _firstWarnings = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];
    private readonly Lock _lock = new();
    private int _lines, _warnings, _errors;

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public string Name { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int Lines { get { lock (_lock) return _lines; } }
    public int Warnings { get { lock (_lock) return _warnings; } }
    public int Errors { get { lock (_lock) return _errors; } }

    /// <summary>The first few warning or error lines (with the line that follows each: the Console logger's message).</summary>
    public IReadOnlyList<string> FirstWarnings { get { lock (_lock) return [.. _firstWarnings]; } }

    public string Tail()
    {
        lock (_lock) return string.Join('\n', _tail);
    }

    public static ChildProcess Start(string name, string file, IEnumerable<string> args, string workingDirectory, string logPath)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var child = new ChildProcess(name, process, logPath);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Until a line containing <paramref name="text"/> is printed; throws if the process exits first or the time runs out.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout, CancellationToken ct)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_tail.Any(l => l.Contains(text, StringComparison.Ordinal))) return;
            _waits.Add((text, seen));
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(Timeout.Infinite, deadline.Token));
        ct.ThrowIfCancellationRequested();
        if (done == seen.Task) return;
        throw new BenchException(_process.HasExited
            ? $"{Name} exited with code {_process.ExitCode} before printing \"{text}\""
            : $"{Name} did not print \"{text}\" within {timeout.TotalSeconds:0} s", this);
    }

    /// <summary>SIGTERM, then up to <paramref name="grace"/> for it to exit (then SIGKILL). Returns the exit code and how long it took.</summary>
    public async Task<(int? ExitCode, TimeSpan Took, bool Killed)> TerminateAsync(TimeSpan grace)
    {
        var stop = Stopwatch.StartNew();
        if (_process.HasExited) return (_process.ExitCode, TimeSpan.Zero, false);
        _ = Kill(_process.Id, SigTerm);
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return (_process.ExitCode, stop.Elapsed, false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            return (null, stop.Elapsed, true);
        }
        finally
        {
            Running.TryRemove(_process.Id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
            Running.TryRemove(_process.Id, out _);
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
        lock (_lock) _log.Dispose();
    }

    /// <summary>Kills every child still running (a second Ctrl+C, or this process exiting).</summary>
    public static void KillAll()
    {
        foreach (var (pid, process) in Running)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }
            Running.TryRemove(pid, out _);
        }
    }

    private bool _warningNext;

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_lock)
        {
            _lines++;
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > 40) _tail.Dequeue();
            // Console logger levels: "warn: ", "fail: ", "crit: " (single-line format: after the timestamp).
            var warn = line.Contains("warn: ", StringComparison.Ordinal);
            var error = line.Contains("fail: ", StringComparison.Ordinal) || line.Contains("crit: ", StringComparison.Ordinal);
            if (warn) _warnings++;
            if (error) _errors++;
            if (_warningNext && _firstWarnings.Count < 12) _firstWarnings[^1] += " | " + line.Trim();
            _warningNext = false;
            if ((warn || error) && _firstWarnings.Count < 12)
            {
                _firstWarnings.Add(line.Trim());
                _warningNext = line.TrimEnd().EndsWith(']'); // multi-line format: the message is on the next line
            }
            foreach (var (text, seen) in _waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToArray())
            {
                seen.TrySetResult();
                _waits.RemoveAll(w => w.Seen == seen);
            }
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Free loopback TCP ports (each bound on port 0 by the OS; all held until every one is chosen, so they differ).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }
}

/// <summary>A run that cannot go on (a child died, a timeout in setup), with the child's last output.</summary>
public sealed class BenchException(string message, ChildProcess? child = null)
    : Exception(child is null ? message : $"{message}; its log: {child.LogPath}; its last lines:\n{child.Tail()}");
