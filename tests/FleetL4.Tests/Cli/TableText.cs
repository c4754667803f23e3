namespace FleetL4.Tests.Cli;

/// <summary>Reads a kubectl-style table back by column: each cell is the text under its header, so a blank cell
/// reads as "" (splitting on spaces would shift the columns after it).</summary>
public static class TableText
{
    public static (string[] Headers, List<Dictionary<string, string>> Rows) Parse(string text)
    {
        var lines = text.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var headers = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var starts = new int[headers.Length];
        for (int i = 0, from = 0; i < headers.Length; from = starts[i] + headers[i].Length, i++)
            starts[i] = lines[0].IndexOf(headers[i], from, StringComparison.Ordinal);
        var rows = lines.Skip(1).Select(line => headers.Select((h, i) =>
        {
            var start = Math.Min(starts[i], line.Length);
            var end = i + 1 < headers.Length ? Math.Min(starts[i + 1], line.Length) : line.Length;
            return KeyValuePair.Create(h, line[start..end].Trim());
        }).ToDictionary()).ToList();
        return (headers, rows);
    }
}
