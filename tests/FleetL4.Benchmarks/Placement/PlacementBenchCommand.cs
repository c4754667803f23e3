using System.CommandLine;

namespace FleetL4.Benchmarks.Placement;

/// <summary>The `placement` subcommand and its flags.</summary>
public static class PlacementBenchCommand
{
    public static Command Create()
    {
        var clusters = new Option<int>("--clusters") { Description = "Virtual member clusters (even ones in eastus, odd ones in westus).", DefaultValueFactory = _ => 1000 };
        var rounds = new Option<int>("--rounds") { Description = "Relabel rounds (a westus cluster to eastus and back) and hub-object changes.", DefaultValueFactory = _ => 20 };
        var idle = new Option<int>("--idle-seconds") { Description = "How long the settled fleet is watched for idle cost.", DefaultValueFactory = _ => 10 };
        var output = new Option<FileInfo?>("--out") { Description = "Append the markdown result to this file." };
        var command = new Command("placement", "ClusterResourcePlacement on many virtual members: the seed's placement applied, clusters relabelled, a selected object changed, the idle fleet.")
        {
            clusters, rounds, idle, output,
        };
        command.SetAction(async (parse, ct) => await PlacementBench.RunAsync(parse.GetValue(clusters), parse.GetValue(rounds), parse.GetValue(idle),
            parse.GetValue(output)?.FullName, [.. Environment.GetCommandLineArgs().Skip(1)], ct));
        return command;
    }
}
