using System.Diagnostics;
using System.Text;
using FleetL4.Tests.Cli;

namespace FleetL4.Tests.Kubernetes;

/// <summary>`fleetl4 agent ...` as a child process, with what it prints kept for failure messages.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static AgentProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    public static AgentProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliRunner.CliPath(), "agent" }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var agent = new AgentProcess(Process.Start(psi)!);
        agent._process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        agent._process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        agent._process.BeginOutputReadLine();
        agent._process.BeginErrorReadLine();
        return agent;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a signal (TERM, INT, KILL) and, unless it is KILL, waits up to <paramref name="timeout"/> for the exit code
    /// (null when the agent did not exit in time).</summary>
    public async Task<int?> SignalAsync(string signal, TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is not null) lock (_output) _output.AppendLine(line);
    }
}
