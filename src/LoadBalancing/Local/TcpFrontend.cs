using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FleetL4.LoadBalancing.Local;

/// <summary>
/// One TCP listener of a local load balancer: each accepted connection is spliced to one backend with two
/// pumps, each reusing one pooled buffer (no allocation per read), once the first exchange has shown the backend
/// alive (<see cref="Open"/>). Closing the listener stops new connections; <see cref="Dispose"/> also closes the open ones.
/// </summary>
public sealed class TcpFrontend : Frontend
{
    private readonly ConcurrentDictionary<Socket, Socket> _open = new();

    public TcpFrontend(IPAddress address, int port, int backendPort, BackendPool pool, LocalLoadBalancerOptions options, ILogger logger)
        : base(address, port, backendPort, SocketType.Stream, ProtocolType.Tcp, pool, options, logger)
    {
        Socket.Listen(1024);
        _ = AcceptLoop();
    }

    public int OpenConnections => _open.Count;

    private async Task AcceptLoop()
    {
        while (!Stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await Socket.AcceptAsync(Stop.Token);
            }
            catch (Exception) when (Stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                Logger.LogDebug(ex, "accept failed on port {Port}", Port);
                continue;
            }
            _ = Serve(client);
        }
    }

    private async Task Serve(Socket client)
    {
        client.NoDelay = true;
        var up = ArrayPool<byte>.Shared.Rent(Options.BufferSize);
        var down = ArrayPool<byte>.Shared.Rent(Options.BufferSize);
        Socket? server = null;
        try
        {
            if (await Open(client, up, down) is not { } s) return;
            server = s.Server;
            var toServer = s.ClientDone ? Task.CompletedTask : Pump(client, server, up, s.PendingClientRead);
            var toClient = Pump(server, client, down, s.Answer);
            // A reset on one side ends the connection: close both, or the other pump could wait on an idle peer forever.
            if ((await Task.WhenAny(toServer, toClient)).IsFaulted)
            {
                client.Dispose();
                server.Dispose();
            }
            await Task.WhenAll(toServer, toClient);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A peer reset or went away: both sides are closed below.
        }
        finally
        {
            _open.TryRemove(client, out var open);
            client.Dispose();
            server?.Dispose();
            open?.Dispose(); // a backend connection opened when the client went away
            ArrayPool<byte>.Shared.Return(up);
            ArrayPool<byte>.Shared.Return(down);
        }
    }

    /// <summary>
    /// A backend connection past its first exchange. <paramref name="Answer"/> is the backend's first read into the
    /// down buffer, not yet forwarded; <paramref name="PendingClientRead"/> a read of the client's still under way
    /// when the backend spoke first; <paramref name="ClientDone"/>: the client closed its side before saying anything.
    /// </summary>
    private readonly record struct Spliced(Socket Server, Task<int> Answer, Task<int>? PendingClientRead, bool ClientDone);

    /// <summary>
    /// Connects the client to a backend and watches the first exchange, the only moment an L4 proxy can tell a
    /// frozen backend (its kernel completes the handshake and takes the bytes, the process never answers) or a
    /// refusing one: a connect failure, a reset before any answer, or no answer within PassiveTimeout of the
    /// client's first bytes counts against that backend (passive health). Until the backend answers nothing has
    /// reached the client and the client's first bytes are still in <paramref name="up"/>, so the connection is
    /// tried once more on the next healthy backend; the last try is kept however slow (it may just be slow). Only
    /// a client that sent its first bytes and waits is timed: one that sends more before the answer (an upload the
    /// backend may read to the end first) is pumped on at once. No timer runs while a connection waits for its
    /// client: only between the client's first bytes and the backend's answer.
    /// </summary>
    private async Task<Spliced?> Open(Socket client, byte[] up, byte[] down)
    {
        var healthy = Pool.Healthy;
        if (healthy.Length == 0) return null;
        var first = BackendSelector.Pick(healthy.Length, (IPEndPoint)client.RemoteEndPoint!, Port, udp: false, Pool.ClientIpAffinity);
        var attempts = Math.Min(2, healthy.Length);
        Task<int>? clientRead = null; // started once; its bytes stay in `up` for a retry
        Socket? server = null;
        Task<int>? answer = null;
        Task<int>? more = null; // a zero-byte read: completes when the client has more to say, consuming nothing
        try
        {
            for (var attempt = 0; attempt < attempts; attempt++)
            {
                var last = attempt == attempts - 1;
                var backend = healthy[(first + attempt) % healthy.Length];
                server = await Connect(backend);
                if (server is null)
                {
                    Passive(backend, ok: false, "refused a connection or did not accept it in time");
                    continue;
                }
                _open[client] = server;
                answer = server.ReceiveAsync(down.AsMemory(), SocketFlags.None, Stop.Token).AsTask();
                clientRead ??= client.ReceiveAsync(up.AsMemory(), SocketFlags.None, Stop.Token).AsTask();
                if (!clientRead.IsCompleted) await Task.WhenAny(clientRead, answer);

                if (answer.IsCompleted && !answer.IsCompletedSuccessfully)
                {
                    // A reset before any answer: safe to try elsewhere, the client has had nothing yet.
                    if (last) return Committed(backend, server, answer, clientRead.IsCompleted ? null : clientRead);
                    Passive(backend, ok: false, "reset a connection before answering");
                }
                else if (!clientRead.IsCompleted)
                    return Committed(backend, server, answer, clientRead); // the backend spoke first
                else if (await clientRead is var said && said == 0)
                {
                    server.Shutdown(SocketShutdown.Send); // the client closed its side without a byte
                    return new Spliced(server, answer, null, ClientDone: true);
                }
                else if (!await Send(server, up.AsMemory(0, said), last))
                    Passive(backend, ok: false, "reset a connection before answering");
                else if (Options.PassiveFailures > 0 && !answer.IsCompleted && !await Within(Task.WhenAny(answer,
                             more ??= client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, Stop.Token).AsTask()), Options.PassiveTimeout))
                {
                    Passive(backend, ok: false, $"left a connection unanswered for {Options.PassiveTimeout.TotalSeconds:0.###} s");
                    if (last) return new Spliced(server, answer, null, ClientDone: false); // counted; kept, it may be slow
                }
                else if (answer.IsCompletedSuccessfully || !answer.IsCompleted || last)
                    // Answered, or the client sends more first (an upload the backend may wait for): pumped, no longer timed.
                    return Committed(backend, server, answer, null);
                else
                    Passive(backend, ok: false, "reset a connection before answering");

                // Given up on: close it and let its read end before the down buffer is read into again.
                server.Dispose();
                await Quiet(answer);
                (server, answer) = (null, null);
            }
            client.Dispose();
            await Quiet(clientRead);
            return null;
        }
        catch
        {
            // The buffers go back to the pool after this: no read may still be writing into them.
            server?.Dispose();
            client.Dispose();
            await Quiet(answer);
            await Quiet(clientRead);
            throw;
        }
    }

    /// <summary>Sends the client's first bytes; false when the backend reset meanwhile and another may be tried.</summary>
    private async Task<bool> Send(Socket server, ReadOnlyMemory<byte> bytes, bool last)
    {
        try
        {
            await server.SendAsync(bytes, SocketFlags.None, Stop.Token);
            return true;
        }
        catch (SocketException) when (!last)
        {
            return false;
        }
    }

    /// <summary>Hands a backend connection to the pumps, counting the first answer (if already in) for passive health.</summary>
    private Spliced Committed(IPAddress backend, Socket server, Task<int> answer, Task<int>? pendingClientRead)
    {
        if (answer.IsCompletedSuccessfully)
        {
            if (answer.Result > 0) Passive(backend, ok: true, null); // a FIN at once says nothing either way
        }
        else if (answer.IsCompleted) Passive(backend, ok: false, "reset a connection before answering");
        return new Spliced(server, answer, pendingClientRead, ClientDone: false);
    }

    private static async Task Quiet(Task<int>? read)
    {
        if (read is null) return;
        try
        {
            await read;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Whether <paramref name="task"/> ended (in any way) within <paramref name="limit"/>.</summary>
    private async Task<bool> Within(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit, Stop.Token);
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception) when (task.IsCompleted)
        {
        }
        return true;
    }

    private void Passive(IPAddress backend, bool ok, string? what)
    {
        if (Stop.IsCancellationRequested) return;
        if (Pool.ReportTraffic(backend, ok))
            Logger.LogWarning("Backend {Backend}:{Port} taken out of rotation after {Count} failed connections in a row (the last {What}); the probe puts it back after the ejection period",
                backend, BackendPort, Options.PassiveFailures, what);
        else if (!ok)
            Logger.LogDebug("backend {Backend}:{Port} {What}", backend, BackendPort, what);
    }

    private async Task<Socket?> Connect(IPAddress backend)
    {
        var socket = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stop.Token);
        timeout.CancelAfter(Options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(backend, BackendPort), timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            Stop.Token.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>, starting with <paramref name="first"/>, a read already made into <paramref name="buffer"/>.</summary>
    private async Task Pump(Socket from, Socket to, byte[] buffer, Task<int>? first)
    {
        while (true)
        {
            var read = first is not null ? await first : await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, Stop.Token);
            first = null;
            if (read == 0)
            {
                // Half-close: pass the FIN on and let the other direction finish.
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, Stop.Token);
        }
    }

    /// <summary>Stops accepting; open connections carry on until they end.</summary>
    public void StopListening() => Socket.Dispose();

    public override void Dispose()
    {
        base.Dispose();
        foreach (var (client, server) in _open)
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
