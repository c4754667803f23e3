using System.Diagnostics;
using System.Collections.Concurrent;

namespace FleetL4.Benchmarks;

/// <summary>
/// Azurite (tests/azurite, pinned; `npm ci --prefix tests/azurite`) on 127.0.0.1, on ports it picks, with a temp folder,
/// for one benchmark run. Killed with its folder on dispose, and on process exit too (Ctrl-C past the grace period,
/// SIGTERM from run-results.sh), so that no emulator outlives the run.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account (public, documented by Microsoft): not a secret.
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _node;
    private readonly string _location;
    private readonly EventHandler _onExit;
    private int _stopped;

    private AzuriteProcess(Process node, string location, int blobPort, int tablePort)
    {
        _node = node;
        _location = location;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};"
            + $"BlobEndpoint=http://127.0.0.1:{blobPort}/{DevAccount};TableEndpoint=http://127.0.0.1:{tablePort}/{DevAccount};";
        _onExit = (_, _) => Stop();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public string ConnectionString { get; }

    /// <summary>Azurite's own resident set now and at its peak (VmRSS, VmHWM) and its CPU time; null off Linux.</summary>
    public (long RssBytes, long PeakRssBytes, TimeSpan Cpu)? Usage()
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{_node.Id}/status");
            long Kib(string field) => long.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            _node.Refresh();
            return (Kib("VmRSS:"), Kib("VmHWM:"), _node.TotalProcessorTime);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public static async Task<AzuriteProcess> StartAsync(CancellationToken ct)
    {
        var bin = Installed();
        var location = Directory.CreateTempSubdirectory("fleetl4-bench-azurite-").FullName;
        var start = new ProcessStartInfo(bin) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Port 0: Azurite binds free ports itself and prints them, so no other process can take them in between.
        // --skipApiVersionCheck: the Azure SDKs the Orleans providers use may be newer than this Azurite.
        string[] args = ["--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", location,
            "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0"];
        foreach (var a in args) start.ArgumentList.Add(a);
        var blob = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var table = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        var node = Process.Start(start) ?? throw new InvalidOperationException($"could not start {bin}");
        node.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            output.Enqueue(line);
            if (ListeningPort(line, "Blob") is { } b) blob.TrySetResult(b);
            if (ListeningPort(line, "Table") is { } t) table.TrySetResult(t);
        };
        node.ErrorDataReceived += (_, e) => { if (e.Data is { } line) output.Enqueue(line); };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        try
        {
            var ready = Task.WhenAll(blob.Task, table.Task);
            var first = await Task.WhenAny(ready, node.WaitForExitAsync(ct), Task.Delay(TimeSpan.FromSeconds(60), ct));
            if (first != ready)
            {
                ct.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"Azurite did not listen ({(node.HasExited ? $"exited with {node.ExitCode}" : "60 s")}): {string.Join(" | ", output)}");
            }
        }
        catch
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
            node.Dispose();
            Directory.Delete(location, recursive: true);
            throw;
        }
        FleetBenchmark.Log($"Azurite {node.Id} listening: blob 127.0.0.1:{blob.Task.Result}, table 127.0.0.1:{table.Task.Result}, data in {location}");
        return new AzuriteProcess(node, location, blob.Task.Result, table.Task.Result);
    }

    /// <summary>The port of "Azurite Blob service is successfully listening at http://127.0.0.1:PORT".</summary>
    private static int? ListeningPort(string line, string service)
    {
        var prefix = $"Azurite {service} service is successfully listening at ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return Uri.TryCreate(line[prefix.Length..].Trim(), UriKind.Absolute, out var uri) ? uri.Port : null;
    }

    /// <summary>tests/azurite/node_modules/.bin/azurite above this binary; the benchmark does not install it.</summary>
    private static string Installed()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tests", "azurite", "package.json"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"tests/azurite/package.json not found above {AppContext.BaseDirectory}");
        var bin = Path.Combine(dir.FullName, "tests", "azurite", "node_modules", ".bin", "azurite");
        return File.Exists(bin) ? bin : throw new InvalidOperationException($"{bin} is missing: npm ci --prefix {Path.Combine(dir.FullName, "tests", "azurite")}");
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try
        {
            if (!_node.HasExited) _node.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        Stop();
        await _node.WaitForExitAsync(CancellationToken.None);
        _node.Dispose();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // a last write of Azurite's: the temp folder is swept anyway
        }
        FleetBenchmark.Log("Azurite stopped");
    }
}
