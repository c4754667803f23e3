using FleetL4.Models;

namespace FleetL4.Client.Output;

/// <summary>The pieces of `describe` output: aligned "Key: value" lines, and titled tables indented below their title.</summary>
internal static class DescribeText
{
    public static async Task Lines(TextWriter output, params (string Key, string Value)[] lines)
    {
        var width = lines.Max(l => l.Key.Length) + 2;
        foreach (var (key, value) in lines) await output.WriteLineAsync($"{(key + ":").PadRight(width)}{value}");
    }

    public static async Task Conditions(TextWriter output, IEnumerable<Condition> conditions)
    {
        var table = new Table("TYPE", "STATUS", "REASON", "MESSAGE");
        foreach (var c in conditions) table.Add(c.Type, c.Status, c.Reason, c.Message);
        await Section(output, "Conditions", table);
    }

    public static Task Section(TextWriter output, string title, Table table) => output.WriteAsync($"{title}:\n{Indent(table.ToString())}");

    public static string Indent(string text) => string.Join("\n", text.TrimEnd().Split('\n').Select(l => "  " + l)) + "\n";
}
