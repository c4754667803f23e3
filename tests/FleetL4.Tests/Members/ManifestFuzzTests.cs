using System.Diagnostics;
using FleetL4.Members;
using FleetL4.Models;
using Xunit.Abstractions;

namespace FleetL4.Tests.Members;

/// <summary>
/// 10,000 generated inputs (<see cref="ManifestFuzzer"/>, fixed seeds) through the reader, the hub's bounds and the
/// typed parse: each ends read or refused with <see cref="FleetValidationException"/>, never another exception.
/// </summary>
public sealed class ManifestFuzzTests(ITestOutputHelper output)
{
    private enum Outcome { Read, Refused, RefusedTyped }

    private static Outcome Run(ManifestFuzzer.Input input)
    {
        IReadOnlyList<ManifestObject> objects;
        try
        {
            objects = ManifestReader.Read(input.Bytes, "fuzz.yaml");
        }
        catch (FleetValidationException)
        {
            return Outcome.Refused;
        }
        // What the reader gives, the hub takes: the two ends apply one set of limits.
        ManifestBounds.Check(objects);
        try
        {
            MemberObjects.From(objects);
        }
        catch (FleetValidationException)
        {
            return Outcome.RefusedTyped;
        }
        return Outcome.Read;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(2026)]
    public void Five_thousand_inputs_per_seed_end_read_or_refused_never_in_another_exception(int seed)
    {
        var watch = Stopwatch.StartNew();
        var outcomes = new Dictionary<(string, Outcome), int>();
        foreach (var input in new ManifestFuzzer(seed).Inputs(5_000))
        {
            Outcome outcome;
            try
            {
                outcome = Run(input);
            }
            catch (Exception ex) when (ex is not FleetValidationException)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed} {input}\n{ex}");
            }
            outcomes[(input.Strategy, outcome)] = outcomes.GetValueOrDefault((input.Strategy, outcome)) + 1;
        }
        foreach (var ((strategy, outcome), count) in outcomes.OrderBy(o => o.Key)) output.WriteLine($"{strategy,-18} {outcome,-12} {count}");
        output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s");

        // A fuzzer that only ever produced garbage (or only valid files) would test little.
        Assert.True(outcomes.Where(o => o.Key.Item2 == Outcome.Read).Sum(o => o.Value) > 500, "fewer than 500 inputs were read");
        Assert.True(outcomes.Where(o => o.Key.Item2 != Outcome.Read).Sum(o => o.Value) > 1_500, "fewer than 1,500 inputs were refused");
    }
}
