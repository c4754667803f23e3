using FleetL4.Tests.Cli;

namespace FleetL4.Tests.Infrastructure;

/// <summary>An executable of src/ (the hub, fleetl4) in its own build output, same configuration as the tests, beside its
/// own deps.json and appsettings.json. No project references an executable, so building the tests alone does not build
/// it: the solution build (test.sh) does.</summary>
public static class BuiltExecutable
{
    public static string Find(string project, string dll)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var path = Path.Combine(CliRunner.RepoRoot(), "src", project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution first (dotnet build FleetL4.sln -c {configuration}, as test.sh does); building the tests does not build src/{project}", path);
    }
}
