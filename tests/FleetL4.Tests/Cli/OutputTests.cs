using System.Text.Json.Nodes;
using FleetL4.Client.Output;

namespace FleetL4.Tests.Cli;

/// <summary>kubectl conventions of the CLI's output that need no hub.</summary>
public sealed class OutputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(25, "25s")]
    [InlineData(119, "119s")]
    [InlineData(5 * 60 + 3, "5m3s")]
    [InlineData(45 * 60, "45m")]
    [InlineData(5 * 3600 + 7 * 60, "5h7m")]
    [InlineData(20 * 3600, "20h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(30 * 86400, "30d")]
    public void Age_reads_like_kubectl(int seconds, string expected) =>
        Assert.Equal(expected, Age.Since(Now.AddSeconds(-seconds), Now));

    [Fact]
    public void Yaml_output_quotes_strings_that_would_read_back_as_other_types()
    {
        var yaml = YamlOutput.Write(new JsonObject { ["status"] = "True", ["count"] = 3, ["time"] = "2026-01-01T00:00:00Z", ["name"] = "kuard" });
        Assert.Contains("status: 'True'", yaml.Replace('"', '\''));
        Assert.Contains("count: 3", yaml);
        Assert.Contains("name: kuard", yaml);
    }

    [Fact]
    public void Tables_pad_columns_like_kubectl()
    {
        var table = new Table("NAME", "IS-VALID", "IS-CONFLICTED", "AGE");
        table.Add("kuard", "True", "False", "25s");
        Assert.Equal("NAME    IS-VALID   IS-CONFLICTED   AGE\nkuard   True       False           25s\n", table.ToString().Replace("\r", ""));
    }
}
