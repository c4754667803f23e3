using System.CommandLine;

namespace FleetL4.Benchmarks.ApplyToRoute;

/// <summary>The `apply-to-route` subcommand and its flags.</summary>
public static class ApplyToRouteCommand
{
    public static Command Create()
    {
        var repo = RepoRoot();
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds per hub.", DefaultValueFactory = _ => 20 };
        var silo = new Option<string>("--silo-dll")
        {
            Description = "The hub to start (built).",
            DefaultValueFactory = _ => Path.Combine(repo, "src", "Silo", "bin", "Release", "net10.0", "FleetL4.Silo.dll"),
        };
        var cli = new Option<string>("--cli-dll")
        {
            Description = "The fleetl4 CLI (built).",
            DefaultValueFactory = _ => Path.Combine(repo, "src", "Cli", "bin", "Release", "net10.0", "fleetl4.dll"),
        };
        var timeout = new Option<int>("--round-timeout-seconds") { Description = "Give up on a round after this long.", DefaultValueFactory = _ => 30 };
        var logs = new Option<string>("--logs")
        {
            Description = "Folder for the hubs' and CLI calls' logs and the applied files.",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), $"fleetl4-apply-to-route-{Environment.ProcessId}"),
        };
        var output = new Option<FileInfo?>("--out") { Description = "Append the markdown result to this file." };
        var command = new Command("apply-to-route", "`fleetl4 apply` to the first routed connection, on two hub processes (shipped coalescing window, and 0).")
        {
            rounds, silo, cli, timeout, logs, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var o = new ApplyToRouteOptions(parse.GetValue(rounds), Path.GetFullPath(parse.GetValue(silo)!), Path.GetFullPath(parse.GetValue(cli)!),
                TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.GetValue(logs)!, parse.GetValue(output)?.FullName,
                [.. Environment.GetCommandLineArgs().Skip(1)]);
            foreach (var dll in new[] { o.SiloDll, o.CliDll }.Where(d => !File.Exists(d)))
            {
                Console.Error.WriteLine($"{dll} does not exist: dotnet build FleetL4.sln -c Release");
                return 2;
            }
            return await ApplyToRouteBench.RunAsync(o, ct);
        });
        return command;
    }

    /// <summary>The folder holding FleetL4.sln, above this program's build output.</summary>
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FleetL4.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
