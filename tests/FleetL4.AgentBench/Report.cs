using System.Globalization;
using System.Text;

namespace FleetL4.AgentBench;

/// <summary>One scenario's markdown: a title, notes, and a Measure | Result table.</summary>
public sealed class Report(string title)
{
    private readonly List<(string Measure, string Result)> _rows = [];
    private readonly List<string> _notes = [];

    public void Row(string measure, string result) => _rows.Add((measure, result.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)));

    public void Note(string note) => _notes.Add(note);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"### {title}");
        sb.AppendLine();
        foreach (var n in _notes) sb.AppendLine($"- {n}");
        if (_notes.Count > 0) sb.AppendLine();
        sb.AppendLine("| Measure | Result |");
        sb.AppendLine("|---|---|");
        foreach (var (m, r) in _rows) sb.AppendLine($"| {m} | {r} |");
        return sb.ToString();
    }

    public static string Mib(long bytes) => $"{bytes / 1048576.0:N0} MiB";

    public static string Gib(long bytes) => $"{bytes / 1073741824.0:0.0} GiB";

    public static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.0} s" : "-";

    /// <summary>Request counts by kind, largest first: "PATCH serviceexports/status 10,000, POST events 20,000".</summary>
    public static string Requests(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:N0}"));

    /// <summary>after - before, by kind (kinds with no change left out).</summary>
    public static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(kv => (kv.Key, N: kv.Value - before.GetValueOrDefault(kv.Key))).Where(x => x.N != 0).ToDictionary(x => x.Key, x => x.N, StringComparer.Ordinal);

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
