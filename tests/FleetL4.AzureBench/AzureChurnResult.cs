using System.Text;

namespace FleetL4.AzureBench;

/// <summary>One side of the churn benchmark, and the table that puts sides next to each other.</summary>
public sealed record AzureChurnResult(
    string Side, long Changes, TimeSpan Churn, int Mcses, int Writes, int MostIn5Minutes, TimeSpan Window,
    int MostLbWritesPerSecond, int MostLbWritesPerWindow, double[] Latencies, int NeverSeen, int Throttled, int Violations, TimeSpan Setup)
{
    private double P(double q) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Min(Latencies.Length - 1, (int)(q * Latencies.Length))];

    public static string Table(int budget, params AzureChurnResult[] sides)
    {
        var text = new StringBuilder();
        text.AppendLine($"| metric | {string.Join(" | ", sides.Select(s => s.Side))} | goal |");
        text.AppendLine($"|---|{string.Concat(sides.Select(_ => "---|"))}---|");
        void Row(string metric, Func<AzureChurnResult, string> value, string goal = "") =>
            text.AppendLine($"| {metric} | {string.Join(" | ", sides.Select(value))} | {goal} |");
        Row("endpoint changes", s => $"{s.Changes:N0} in {s.Churn.TotalSeconds:N0} s ({s.Changes / s.Churn.TotalSeconds:N0}/s) over {s.Mcses} MCSes", "1,000/s");
        Row("writes issued (PUT/DELETE)", s => $"{s.Writes:N0} ({s.Writes / s.Churn.TotalMinutes:N1}/min)");
        Row("most writes in any 5-minute window", s => $"{s.MostIn5Minutes:N0}", $"<= {budget:N0}");
        Row("most LB writes in any 1 s", s => $"{s.MostLbWritesPerSecond}", "<= 1");
        Row("most LB writes in one batch window", s => $"{s.MostLbWritesPerWindow} in {s.Window.TotalSeconds:0.###} s");
        Row("change -> pool holds it: p50 / p99 / max", s => $"{s.P(0.5):0.00} / {s.P(0.99):0.00} / {(s.Latencies.Length == 0 ? double.NaN : s.Latencies[^1]):0.00} s ({s.Latencies.Length:N0} samples, {s.NeverSeen:N0} never seen)", "p99 <= 10 s");
        Row("429s received", s => $"{s.Throttled}", "0");
        Row("violations recorded by the fake (overlapping writes, calls before Retry-After)", s => $"{s.Violations}", "0");
        Row("set-up of the MCSes (frontends, pools, probes, rules)", s => $"{s.Setup.TotalSeconds:N1} s");
        return text.ToString();
    }
}
