using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace FleetL4.Tests.LocalLoadBalancing;

/// <summary>
/// A backend in a process of its own, so a test can freeze it (SIGSTOP) as a stalled pod freezes: its kernel still
/// completes TCP handshakes and takes the bytes, the process answers nothing. A small python3 HTTP/1.0 server,
/// one request at a time (so it handles queued connections in the order they came): GET /fail answers 503, every
/// other path 200 with the server's address as the body; a POST is answered so once its whole body is read. Each request's path is printed, so a test can see which
/// requests reached it, also those that waited in its accept queue while it was frozen.
/// </summary>
public sealed class BackendProcess : IAsyncDisposable
{
    // A listen backlog of 128, as a real server's: a frozen backend keeps completing handshakes (python's default is 5).
    private const string Script = """
        import http.server, sys
        address, port = sys.argv[1], int(sys.argv[2])
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                print(self.path, flush=True)
                status, body = (503, b"failing") if self.path == "/fail" else (200, address.encode())
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                self.do_GET()
            def log_message(self, *args):
                pass
        class Server(http.server.HTTPServer):
            request_queue_size = 128
        server = Server((address, port), Handler)
        print("port", server.server_address[1], flush=True)
        server.serve_forever()
        """;

    private readonly Process _process;
    private readonly List<string> _paths = [];

    private BackendProcess(Process process, string address, int port)
    {
        _process = process;
        Address = address;
        Port = port;
    }

    public string Address { get; }
    public int Port { get; }

    /// <summary>The paths of the requests this backend has handled, in order.</summary>
    public string[] Paths
    {
        get { lock (_paths) return [.. _paths]; }
    }

    /// <summary>Backends on one port (a load balancer sends to one backend port on every backend), tried again if some socket holds it.</summary>
    public static async Task<BackendProcess[]> OnOnePort(params string[] addresses)
    {
        for (var attempt = 0; ; attempt++)
        {
            var started = new List<BackendProcess>();
            try
            {
                foreach (var address in addresses) started.Add(await Start(address, started.Count == 0 ? 0 : started[0].Port));
                return [.. started];
            }
            catch (IOException) when (attempt < 20)
            {
                foreach (var backend in started) await backend.DisposeAsync();
            }
        }
    }

    private static async Task<BackendProcess> Start(string address, int port)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-u", "-c", Script, address, port.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("these tests need python3 on PATH (a backend process a test can SIGSTOP)", e);
        }
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first is null || !first.StartsWith("port ", StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.Dispose();
            // A port another socket holds: the caller tries another.
            throw new IOException($"backend on {address}:{port} did not start: {error}");
        }
        var backend = new BackendProcess(process, address, int.Parse(first["port ".Length..], CultureInfo.InvariantCulture));
        _ = backend.Collect();
        // Drained, so tracebacks of answers to connections the balancer gave up on never fill the pipe and block it.
        _ = process.StandardError.ReadToEndAsync();
        return backend;
    }

    private async Task Collect()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
            lock (_paths) _paths.Add(line);
    }

    /// <summary>SIGSTOP: the process stops; the kernel keeps accepting connections and data for it.</summary>
    public Task Freeze() => Signal("STOP");

    /// <summary>SIGCONT: the process runs again and works off what queued meanwhile.</summary>
    public Task Resume() => Signal("CONT");

    private async Task Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {_process.Id} failed");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Continued first, so a failed kill never leaves a stopped process behind.
            try { await Resume(); } catch (InvalidOperationException) { }
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
