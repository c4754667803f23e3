using System.Diagnostics;
using System.Text;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Tests.Members;

/// <summary>
/// The hostile inputs of issue 13, generated here (none is committed as a file): each once exhausted the CLI or
/// ended in a stack overflow or a stack trace; each is now a one-line error naming the document and the limit,
/// reached fast.
/// </summary>
public sealed class ManifestCorpusTests
{
    private const string Head = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: hostile, namespace: default }\n";

    private static string Refused(string yaml) => Refused(Encoding.UTF8.GetBytes(yaml));

    private static string Refused(byte[] bytes)
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<FleetValidationException>(() => ManifestReader.Read(bytes, "hostile.yaml"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"refused after {watch.Elapsed}");
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    /// <summary>Billion laughs: each level a sequence of ten aliases to the level before.</summary>
    internal static string AliasBomb(int levels)
    {
        var yaml = new StringBuilder(Head).Append("data:\n  l0: &l0 [").AppendJoin(",", Enumerable.Repeat("lol", 10)).Append("]\n");
        for (var i = 1; i < levels; i++) yaml.Append($"  l{i}: &l{i} [").AppendJoin(",", Enumerable.Repeat($"*l{i - 1}", 10)).Append("]\n");
        return yaml.ToString();
    }

    [Fact]
    public void An_alias_bomb_of_7_levels_is_refused_at_the_expansion_budget()
    {
        Assert.Equal("hostile.yaml document 1 data.l3[7]: aliases expand to more than 10000 nodes (a YAML bomb?)", Refused(AliasBomb(7)));
    }

    [Fact]
    public void A_self_referencing_alias_is_refused()
    {
        Assert.Equal("hostile.yaml document 1 data[0]: alias *r refers to the node that contains it", Refused(Head + "data: &r [*r]\n"));
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(10_000)]
    [InlineData(1_000)]
    public void Deep_nesting_in_flow_block_and_JSON_style_is_refused_at_64_levels(int levels)
    {
        Assert.Contains(": nests deeper than 64 levels", Refused(Head + "data: " + new string('[', levels) + new string(']', levels) + "\n"));
        Assert.Contains(": nests deeper than 64 levels", Refused(Head + "list:\n" + string.Concat(Enumerable.Repeat("- ", levels)) + "x\n"));
        var json = new StringBuilder("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"deep\"}, \"data\": ");
        for (var i = 0; i < levels; i++) json.Append("{\"a\": ");
        json.Append('1').Append('}', levels + 1);
        Assert.StartsWith("hostile.yaml document 1 data.a.a.a", Refused(json.ToString()));
    }

    [Theory]
    [InlineData("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"}")]
    [InlineData("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"},")]
    [InlineData("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x")]
    [InlineData("[{\"apiVersion\": \"v1\"")]
    public void Unterminated_JSON_is_an_invalid_YAML_error_with_its_position(string json)
    {
        Assert.Matches(@"^hostile\.yaml document 1: invalid YAML at line \d+, column \d+: ", Refused(json));
    }

    [Fact]
    public void Invalid_UTF_8_is_an_error_not_silently_replaced()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(Head + "data: { x: \""), 0xFF, 0xFE, .. "\" }\n"u8];
        Assert.Equal($"hostile.yaml: is not valid UTF-8: byte 0xFF at offset {Encoding.UTF8.GetByteCount(Head) + 12} (line 4)", Refused(bytes));
    }

    [Theory]
    [InlineData(Head + "data:\n  big: ")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata:\n  name: hostile\n  annotations:\n    big: ")]
    public async Task A_50_MB_value_is_refused_after_reading_3_MiB_of_it(string prefix)
    {
        var yaml = prefix + new string('x', 50_000_000) + "\n";
        var input = new CountingStream(new MemoryStream(Encoding.UTF8.GetBytes(yaml)));
        var error = await Assert.ThrowsAsync<FleetValidationException>(() => ManifestReader.ReadAsync(input, "hostile.yaml"));
        Assert.Equal("hostile.yaml: is larger than 3145728 bytes; at most 3 MiB are read (the Kubernetes API server's request limit)", error.Message);
        Assert.True(input.Taken <= ManifestLimits.MaxInputBytes + 1, $"read {input.Taken} bytes");
    }

    [Fact]
    public void A_hundred_thousand_documents_are_refused_by_size_or_by_count()
    {
        Assert.StartsWith("hostile.yaml: is larger than 3145728 bytes", Refused(string.Join("---\n", Enumerable.Repeat(Head, 100_000))));
        Assert.Equal("hostile.yaml: has more than 1000 documents", Refused(Head + string.Concat(Enumerable.Repeat("---\n", 100_000))));
    }

    /// <summary>Counts what the reader took from the stream, to show it stops at the limit.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Taken { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Taken; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Taken += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
