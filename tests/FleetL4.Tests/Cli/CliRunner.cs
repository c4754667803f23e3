using FleetL4.Tests.Infrastructure;

namespace FleetL4.Tests.Cli;

/// <summary>Runs the real `fleetl4` command (dotnet fleetl4.dll) as a child process.</summary>
public static class CliRunner
{
    public static Task<ProcessRunner.Result> Run(string hub, string? stdin, params string[] args) =>
        ProcessRunner.Run("dotnet", [CliPath(), "--hub", hub, .. args], stdin);

    /// <summary>fleetl4.dll in its own build output (same configuration as the tests), with its own deps.json.</summary>
    public static string CliPath() => BuiltExecutable.Find("Cli", "fleetl4.dll");

    /// <summary>The repository root (where FleetL4.sln is), found from the test's output folder.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FleetL4.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("FleetL4.sln not found above " + AppContext.BaseDirectory);
    }
}
