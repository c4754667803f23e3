// Azure provider under sustained endpoint churn against the fake ARM: writes issued, the most in any 5-minute
// window, writes per LB per coalescing window, change -> pool latency, 429s. See BENCHMARKS.md.
using System.CommandLine;
using FleetL4.AzureBench;

var mcses = new Option<int>("--mcs") { DefaultValueFactory = _ => 100, Description = "MultiClusterServices (one service each, exported by two clusters)" };
var endpoints = new Option<int>("--endpoints") { DefaultValueFactory = _ => 5, Description = "endpoints per export" };
var rate = new Option<int>("--rate") { DefaultValueFactory = _ => 1000, Description = "endpoint changes per second" };
var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 600, Description = "churn duration" };
var budget = new Option<int>("--budget") { DefaultValueFactory = _ => 1000, Description = "the fake's Microsoft.Network writes per 5 minutes (and FleetL4:Azure:WriteBudget)" };
var sides = new Option<string[]>("--sides") { DefaultValueFactory = _ => ["fleetl4", "peer"], AllowMultipleArgumentsPerToken = true, Description = "fleetl4, and/or peer: the same churn through the cloud-provider-azure model (30 s batch, a PUT per pool)" };
sides.AcceptOnlyFromAmong("fleetl4", "peer");
var root = new RootCommand("FleetL4 Azure provider benchmark against the fake ARM server") { mcses, endpoints, rate, seconds, budget, sides };
root.SetAction(async (r, ct) =>
{
    var results = new List<AzureChurnResult>();
    foreach (var side in r.GetValue(sides)!.Distinct())
    {
        results.Add(await AzureChurnBenchmark.RunAsync(r.GetValue(mcses), r.GetValue(endpoints), r.GetValue(rate), r.GetValue(seconds), r.GetValue(budget), side == "peer", ct));
        Console.Error.WriteLine($"{results[^1].Side}: done");
    }
    Console.WriteLine(AzureChurnResult.Table(r.GetValue(budget), [.. results]));
    return 0;
});
return await root.Parse(args).InvokeAsync();
