using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace FleetL4.AgentBench;

/// <summary>What the report says about the machine, and the /proc readings the measurements are made of.</summary>
public sealed record MachineInfo(int Cores, string CpuModel, long RamBytes, string DotnetVersion, int ClockTicks, bool ClockTicksAssumed, string Os)
{
    public static async Task<MachineInfo> CollectAsync(CancellationToken ct)
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : "unknown CPU";
        var ram = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } mem
            ? long.Parse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024
            : 0;
        var dotnet = (await Tool.RunAsync("dotnet", ["--version"], ct))?.Trim() ?? "unknown";
        var ticks = int.TryParse((await Tool.RunAsync("getconf", ["CLK_TCK"], ct))?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 0;
        return new MachineInfo(Environment.ProcessorCount, model, ram, dotnet, ticks > 0 ? ticks : 100, ticks == 0, RuntimeInformation.OSDescription);
    }

    public string Describe() =>
        $"{Cores} cores ({CpuModel}), {Report.Gib(RamBytes)} RAM, {Os}, .NET SDK {DotnetVersion}, {RuntimeInformation.FrameworkDescription}";

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}

/// <summary>Readings of /proc for one process or for the whole machine.</summary>
public static class Proc
{
    /// <summary>utime + stime of a process (all its threads) in clock ticks; null once it is gone.</summary>
    public static long? CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); utime is field 14, stime field 15.
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>VmRSS and VmHWM (the peak RSS) of a process, in bytes; null once it is gone.</summary>
    public static (long Rss, long Peak)? Memory(int pid)
    {
        try
        {
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kib(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kib(line);
            }
            return (rss, peak);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The machine's busy and total clock ticks over all cores (/proc/stat; idle and iowait are not busy).</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var first = File.ReadLines("/proc/stat").First();
        var v = first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var total = v.Sum();
        var idle = v[3] + v[4];
        return (total - idle, total);
    }

    public static TimeSpan SelfCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

/// <summary>
/// CPU used over a window: each tracked process's utime+stime from /proc/PID/stat as % of one core, this process's
/// (the fake API server, the simulated members), and what the whole machine was busy with (so a window that
/// overlapped other engineers' builds says so).
/// </summary>
public sealed class CpuWindow
{
    private readonly MachineInfo _machine;
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly long?[] _start;
    private readonly TimeSpan _selfStart;
    private readonly (long Busy, long Total) _machineStart;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly string _loadStart = MachineInfo.LoadAverage();

    private CpuWindow(MachineInfo machine, IReadOnlyList<(string Name, int Pid)> processes)
    {
        _machine = machine;
        _processes = processes;
        _start = [.. processes.Select(p => Proc.CpuTicks(p.Pid))];
        _selfStart = Proc.SelfCpu();
        _machineStart = Proc.MachineTicks();
    }

    public static CpuWindow Start(MachineInfo machine, params (string Name, int Pid)[] processes) => new(machine, processes);

    public CpuResult Stop()
    {
        var wall = _wall.Elapsed;
        var self = Proc.SelfCpu() - _selfStart;
        var m = Proc.MachineTicks();
        var seconds = wall.TotalSeconds;
        var used = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        for (var i = 0; i < _processes.Count; i++)
            used[_processes[i].Name] = Proc.CpuTicks(_processes[i].Pid) is { } end && _start[i] is { } start
                ? TimeSpan.FromSeconds((end - start) / (double)_machine.ClockTicks)
                : null;
        var machineBusy = m.Total > _machineStart.Total ? (m.Busy - _machineStart.Busy) / (double)(m.Total - _machineStart.Total) * _machine.Cores : 0;
        var ours = used.Values.Sum(u => u?.TotalSeconds ?? 0) / seconds + self.TotalSeconds / seconds;
        return new CpuResult(wall, used, self, machineBusy, Math.Max(0, machineBusy - ours), _loadStart, MachineInfo.LoadAverage());
    }
}

/// <param name="Used">CPU time per tracked process (null: it exited during the window).</param>
/// <param name="MachineBusyCores">Cores the whole machine was busy, on average.</param>
/// <param name="OtherBusyCores">Of those, what neither the tracked processes nor this one used (other work on the machine).</param>
public sealed record CpuResult(TimeSpan Wall, IReadOnlyDictionary<string, TimeSpan?> Used, TimeSpan Self, double MachineBusyCores, double OtherBusyCores,
    string LoadBefore, string LoadAfter)
{
    /// <summary>% of one core.</summary>
    public double? Percent(string process) => Used[process] is { } t ? t.TotalSeconds / Wall.TotalSeconds * 100 : null;

    public double SelfPercent => Self.TotalSeconds / Wall.TotalSeconds * 100;

    public string Describe(string process) => Used[process] is { } t
        ? $"{Percent(process):0.00} % of a core ({t.TotalSeconds:0.00} s CPU in {Wall.TotalSeconds:0.0} s)"
        : "- (the process exited)";

    public string DescribeSelf() => $"{SelfPercent:0.00} % of a core ({Self.TotalSeconds:0.00} s CPU in {Wall.TotalSeconds:0.0} s)";

    public string DescribeMachine() =>
        $"machine busy {MachineBusyCores:0.00} cores on average, of which {OtherBusyCores:0.00} cores other processes; load average {LoadBefore} -> {LoadAfter}";
}

/// <summary>Short-lived helper processes (dotnet --version, getconf, git).</summary>
public static class Tool
{
    public static async Task<string?> RunAsync(string file, IEnumerable<string> args, CancellationToken ct, string? workingDirectory = null)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync(ct);
            _ = p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            return p.ExitCode == 0 ? await output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
