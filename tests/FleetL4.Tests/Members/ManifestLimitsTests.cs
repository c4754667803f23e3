using System.Text;
using System.Text.Json.Nodes;
using FleetL4.Members;
using FleetL4.Models;

namespace FleetL4.Tests.Members;

/// <summary>Each of <see cref="ManifestLimits"/> at its boundary: the limit is read, one more is refused naming it.</summary>
public sealed class ManifestLimitsTests
{
    private const string Head = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big, namespace: default }\n";

    private static IReadOnlyList<ManifestObject> Read(string yaml) => ManifestReader.Read(Encoding.UTF8.GetBytes(yaml), "m.yaml");

    private static FleetValidationException Refused(string yaml) => Assert.Throws<FleetValidationException>(() => Read(yaml));

    [Fact]
    public async Task A_file_of_exactly_3_MiB_is_read_and_one_byte_more_is_refused_without_reading_further()
    {
        var yaml = Head + "# " + new string('x', ManifestLimits.MaxInputBytes - Head.Length - 2);
        Assert.Equal(ManifestLimits.MaxInputBytes, Encoding.UTF8.GetByteCount(yaml));
        Assert.Single(await ManifestReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(yaml)), "m.yaml"));
        Assert.Single(ManifestReader.Read(yaml, "m.yaml"));

        var error = await Assert.ThrowsAsync<FleetValidationException>(() => ManifestReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(yaml + "x")), "m.yaml"));
        Assert.Equal("m.yaml: is larger than 3145728 bytes; at most 3 MiB are read (the Kubernetes API server's request limit)", error.Message);
        Assert.Equal(error.Message, Assert.Throws<FleetValidationException>(() => ManifestReader.Read(yaml + "x", "m.yaml")).Message);
    }

    [Fact]
    public void A_thousand_documents_are_read_and_the_next_one_is_refused()
    {
        var documents = Enumerable.Range(0, ManifestLimits.MaxDocuments).Select(i => Head.Replace("name: big", $"name: c{i}"));
        Assert.Equal(1000, Read(string.Join("---\n", documents)).Count);
        Assert.Equal("m.yaml: has more than 1000 documents", Refused(string.Join("---\n", documents) + "---\n" + Head).Message);
    }

    private static string Nested(int sequences) => Head + "data: { x: " + new string('[', sequences) + new string(']', sequences) + " }\n";

    [Fact]
    public void Nesting_of_64_levels_is_read_and_still_parses_as_JSON_but_65_is_refused()
    {
        // The root mapping is level 1 and data level 2.
        var json = Assert.Single(Read(Nested(ManifestLimits.MaxDepth - 2))).Json;
        Assert.NotNull(JsonNode.Parse(json)); // System.Text.Json's default MaxDepth, as the hub reads it
        ManifestBounds.Check(Read(Nested(ManifestLimits.MaxDepth - 2)));

        var error = Refused(Nested(ManifestLimits.MaxDepth - 1));
        Assert.StartsWith("m.yaml document 1 data.x" + string.Concat(Enumerable.Repeat("[0]", 62)) + ": nests deeper than 64 levels", error.Message);
    }

    [Fact]
    public void A_string_of_1_MiB_is_read_and_one_character_more_is_refused()
    {
        Assert.Single(Read(Head + "data: { x: " + new string('a', ManifestLimits.MaxStringLength) + " }\n"));
        var error = Refused(Head + "data: { x: " + new string('a', ManifestLimits.MaxStringLength + 1) + " }\n");
        Assert.Equal("m.yaml document 1 data.x: a string of 1048577 characters; at most 1048576 (1 MiB, what a ConfigMap may hold) are allowed", error.Message);
    }

    private static string Aliases(int count, string anchor = "&a v", string alias = "*a") =>
        Head + $"data: {{ a: {anchor} }}\nlist:\n" + string.Concat(Enumerable.Repeat($"  - {alias}\n", count));

    [Fact]
    public void A_hundred_aliases_are_read_and_the_next_one_is_refused()
    {
        var list = Assert.Single(Read(Aliases(ManifestLimits.MaxAliases))).Json;
        Assert.Equal(100, JsonNode.Parse(list)!["list"]!.AsArray().Count(v => v!.GetValue<string>() == "v"));
        Assert.Equal("m.yaml document 1 list[100]: more than 100 aliases in one document", Refused(Aliases(ManifestLimits.MaxAliases + 1)).Message);
    }

    [Fact]
    public void Aliases_may_copy_10000_nodes_and_one_more_is_refused()
    {
        // &big is a sequence of 100 scalars: 101 nodes; 99 copies of it and one of a 1-node (or 2-node) anchor.
        var big = "[" + string.Join(",", Enumerable.Range(0, 100)) + "]";
        string Expanding(string last) => Head + $"data:\n  one: &one v\n  two: &two [v]\nbig: &big {big}\nlist:\n"
            + string.Concat(Enumerable.Repeat("  - *big\n", 99)) + $"  - {last}\n";
        Assert.Single(Read(Expanding("*one")));
        Assert.Equal("m.yaml document 1 list[99]: aliases expand to more than 10000 nodes (a YAML bomb?)", Refused(Expanding("*two")).Message);
    }

    /// <summary>A ConfigMap whose JSON is exactly <paramref name="bytes"/> long (two values: one may hold 1 MiB).</summary>
    private static string ConfigMapOfJsonBytes(int bytes)
    {
        var skeleton = Assert.Single(Read(Head + "data: { a: '', b: '' }\n")).Json.Length;
        var fill = bytes - skeleton;
        return Head + $"data: {{ a: {new string('a', fill / 2)}, b: {new string('b', fill - fill / 2)} }}\n";
    }

    [Fact]
    public void An_object_of_exactly_1_5_MiB_as_JSON_is_read_and_one_byte_more_is_refused()
    {
        var json = Assert.Single(Read(ConfigMapOfJsonBytes(ManifestLimits.MaxObjectBytes))).Json;
        Assert.Equal(ManifestLimits.MaxObjectBytes, json.Length);
        Assert.Equal("m.yaml document 1: is more than 1572864 bytes as JSON; at most 1.5 MiB per object are allowed (etcd's limit on a Kubernetes object)",
            Refused(ConfigMapOfJsonBytes(ManifestLimits.MaxObjectBytes + 1)).Message);
    }

    [Fact]
    public void Objects_that_aliases_grow_past_12_MiB_of_JSON_in_one_file_are_refused()
    {
        // 0.28 MiB of text copied 4 more times per document: 1.4 MiB of JSON each from 0.28 MiB of YAML.
        var text = new string('t', 280 * 1024);
        var document = Head + $"data:\n  a: &t {text}\n  b: *t\n  c: *t\n  d: *t\n  e: *t\n";
        Assert.Equal(8, Read(string.Join("---\n", Enumerable.Repeat(document, 8))).Count);
        Assert.Equal("m.yaml: holds more than 12582912 bytes of objects as JSON (12 MiB, what one request to the hub may carry)",
            Refused(string.Join("---\n", Enumerable.Repeat(document, 9))).Message);
    }

    [Fact]
    public void Invalid_UTF_8_is_refused_with_its_byte_offset_and_line_and_a_byte_order_mark_is_not()
    {
        var bytes = Encoding.UTF8.GetBytes(Head + "data: { x: caf\u00e9 }\n");
        Assert.Single(ManifestReader.Read([0xEF, 0xBB, 0xBF, .. bytes], "m.yaml"));
        var offset = Array.IndexOf(bytes, (byte)0xC3);
        bytes[offset + 1] = (byte)'!'; // a lead byte without its continuation
        var error = Assert.Throws<FleetValidationException>(() => ManifestReader.Read(bytes, "m.yaml"));
        Assert.Equal($"m.yaml: is not valid UTF-8: byte 0xC3 at offset {offset} (line 4)", error.Message);
    }

    [Theory]
    [InlineData("metadata: { name: web, namespace: 123 }", "metadata.namespace: m.yaml document 1 (ConfigMap): must be a string, not 123")]
    [InlineData("metadata: { name: [web] }", "metadata.name: m.yaml document 1 (ConfigMap): must be a string, not a sequence")]
    [InlineData("metadata: { name: true }", "metadata.name: m.yaml document 1 (ConfigMap): must be a string, not true")]
    [InlineData("metadata: { name: web }\ndata: { x: 1e400 }", "m.yaml document 1 data.x: the number 1e400 is out of range (quote it to make it a string)")]
    [InlineData("metadata: { name: web }\ndata: { x: 1, x: 2 }", "m.yaml document 1 data: key \"x\" appears twice in one mapping")]
    [InlineData("metadata: { name: web }\ndata: { [x]: 1 }", "m.yaml document 1 data: a mapping key must be a string, not a mapping or sequence")]
    [InlineData("metadata: { name: web }\ndata: { x: *nowhere }", "m.yaml document 1 data.x: alias *nowhere has no anchor &nowhere before it")]
    public void Names_must_be_strings_and_values_representable_as_JSON(string rest, string message)
    {
        Assert.Equal(message, Refused("apiVersion: v1\nkind: ConfigMap\n" + rest + "\n").Message);
    }

    [Fact]
    public void The_hub_applies_the_same_bounds_to_objects_it_receives_as_JSON()
    {
        ManifestObject Object(string json) => new("v1", "ConfigMap", "default", "big", json, 3);
        ManifestBounds.Check([Object("{\"a\":\"" + new string('a', ManifestLimits.MaxStringLength) + "\"}")]);

        string Refusal(params ManifestObject[] objects) => Assert.Throws<FleetValidationException>(() => ManifestBounds.Check(objects)).Message;
        Assert.Equal("document 3 (ConfigMap default/big): has a string longer than 1048576 characters (1 MiB)",
            Refusal(Object("{\"a\":\"" + new string('a', ManifestLimits.MaxStringLength + 1) + "\"}")));
        ManifestBounds.Check([Object("{\"a\":" + new string('[', 63) + new string(']', 63) + "}")]);
        Assert.StartsWith("document 3 (ConfigMap default/big): is not valid JSON within the hub's limits (depth 64): ",
            Refusal(Object("{\"a\":" + new string('[', 64) + new string(']', 64) + "}")));
        Assert.StartsWith("document 3 (ConfigMap default/big): is not valid JSON", Refusal(Object("{\"apiVersion\": \"v1\"")));
        Assert.Equal("document 3 (ConfigMap default/big): is not a JSON object", Refusal(Object("[1]")));
        Assert.Equal("document 3 (ConfigMap default/big): is 1572865 bytes as JSON; at most 1572864 (1.5 MiB, etcd's limit on a Kubernetes object) are allowed",
            Refusal(Object("{\"a\":\"" + new string('a', ManifestLimits.MaxObjectBytes - 7) + "\"}")));
        Assert.Equal("objects: 1001 objects in one request; at most 1000 are allowed", Refusal([.. Enumerable.Repeat(Object("{}"), 1001)]));
    }
}
