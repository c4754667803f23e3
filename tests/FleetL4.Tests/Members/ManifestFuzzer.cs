using System.Text;
using FleetL4.Members;
using FleetL4.Tests.Cli;

namespace FleetL4.Tests.Members;

/// <summary>
/// A seeded generator of hostile manifests: structure mutations of valid ones (the kuard samples and a few more),
/// hostile values (boundary numbers, YAML's odd scalars, hostile names), JSON mutations, random bytes, and bombs
/// (aliases, nesting, documents, long strings) on both sides of each limit. The same seed gives the same inputs.
/// </summary>
public sealed class ManifestFuzzer(int seed)
{
    private readonly Random _random = new(seed);

    public sealed record Input(int Index, string Strategy, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);

        public override string ToString() => $"input {Index} ({Strategy}, {Bytes.Length} bytes): {(Text.Length > 400 ? Text[..400] + "..." : Text)}";
    }

    private static readonly Lazy<string[]> LazySamples = new(() =>
    [
        .. Directory.GetFiles(Path.Combine(CliRunner.RepoRoot(), "samples", "kuard"), "*.yaml").Order().Select(File.ReadAllText),
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: kuard-abc
          namespace: kuard-demo
          labels:
            kubernetes.io/service-name: kuard
        addressType: IPv4
        ports:
          - name: http
            port: 8080
            protocol: TCP
        endpoints:
          - addresses: ["10.1.0.1"]
            conditions: { ready: true, serving: true, terminating: false }
          - addresses: ["10.1.0.2"]
        """,
        """
        apiVersion: v1
        kind: Service
        metadata: { name: web, namespace: shop, annotations: { note: "a b" } }
        spec:
          type: ClusterIP
          sessionAffinity: None
          ports:
            - { name: http, port: 80, targetPort: 8080, protocol: TCP }
            - { name: dns, port: 53, targetPort: dns, protocol: UDP }
        ---
        apiVersion: networking.fleet.azure.com/v1alpha1
        kind: ServiceExport
        metadata: { name: web, namespace: shop }
        """,
        """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "default"},
         "data": {"a": "1", "b": "two", "list": "[1, 2]"}}
        """,
    ]);

    public static IReadOnlyList<string> Samples => LazySamples.Value;

    private static readonly string[] HostileValues =
    [
        "-1", "0", "1", "65535", "65536", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "1e400", "-1e400", "1.5", "-0", "0x1F", "0o17", "1_000", "\"1_000\"", ".inf", "-.inf", ".nan", "NaN", "true", "false",
        "yes", "no", "on", "~", "null", "''", "\"\"", "[]", "{}", "[1, 2]", "{a: b}", "\"../etc\"", "../etc", "\"\U0001F600\"",
        "\U0001F600", new string('n', 10_000), "\"a\\nb\"", "\"a\nb\"", "\"\\u0000\"", "\"\\ud800\"", "!!str 5", "!!int x",
        "!!binary aGVsbG8=", "!!map {}", "!custom x", "*undefined", "&x y", "|\n  block", ">\n  folded", "'it''s'", "\"\\xff\"",
        "@reserved", "`tick", "%", "- item", ": colon", "? key", "a: b: c", "\"unterminated", "[unterminated", "{unterminated",
        "&a [*a]", "<<: {x: 1}", "2001:db8::1", "10.0.0.256", "IPv4", "FQDN", "Ready", "TCP", "tcp", "-", "--- x", "...",
    ];

    private static readonly string[] Tokens =
    [
        "&a ", "*a", "[", "]", "{", "}", ":", ": ", "- ", "? ", "|", ">", "!!binary ", "%YAML 1.1\n", "---\n", "...\n", "\"", "'",
        "\t", "# ", ",", "<<: *a", "\\", "\0", "\r", "\u2028", "\uFEFF", "!", "@", "&", "*",
    ];

    public IEnumerable<Input> Inputs(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (strategy, bytes) = Next();
            yield return new Input(i, strategy, bytes);
        }
    }

    private (string, byte[]) Next() => _random.Next(20) switch
    {
        < 6 => ("lines", Utf8(MutateLines(Sample()))),
        < 10 => ("value", Utf8(ReplaceValue(Sample()))),
        < 11 => ("random bytes", RandomBytes()),
        < 12 => ("flipped bytes", FlipBytes(Utf8(Sample()))),
        < 14 => ("json", Utf8(MutateJson())),
        < 15 => ("splice", Utf8(Splice())),
        < 16 => ("sample", Utf8(Sample())),
        _ => Bomb(),
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private string Sample() => Samples[_random.Next(Samples.Count)];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private string MutateLines(string text)
    {
        var lines = text.Split('\n').ToList();
        for (var n = _random.Next(1, 5); n > 0 && lines.Count > 0; n--)
        {
            var i = _random.Next(lines.Count);
            switch (_random.Next(7))
            {
                case 0: lines.RemoveAt(i); break;
                case 1: lines.Insert(i, lines[i]); break;
                case 2: (lines[i], lines[^1]) = (lines[^1], lines[i]); break;
                case 3: lines[i] = "  " + lines[i]; break;
                case 4: lines[i] = lines[i].TrimStart(); break;
                case 5:
                    var at = _random.Next(lines[i].Length + 1);
                    lines[i] = lines[i][..at] + Pick(Tokens) + lines[i][at..];
                    break;
                default:
                    var joined = string.Join('\n', lines);
                    return joined[.._random.Next(joined.Length + 1)];
            }
        }
        return string.Join('\n', lines);
    }

    /// <summary>A value (after "key: " or "- ") replaced by a hostile one; keys like name and port are favoured.</summary>
    private string ReplaceValue(string text)
    {
        var lines = text.Split('\n');
        for (var n = _random.Next(1, 3); n > 0; n--)
        {
            var candidates = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(": ") || lines[i].TrimStart().StartsWith("- ")).ToList();
            if (candidates.Count == 0) break;
            var i = Pick(candidates);
            var cut = lines[i].IndexOf(": ", StringComparison.Ordinal) is var colon and >= 0 ? colon + 2 : lines[i].IndexOf("- ", StringComparison.Ordinal) + 2;
            lines[i] = lines[i][..cut] + Pick(HostileValues);
        }
        return string.Join('\n', lines);
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 600)];
        _random.NextBytes(bytes);
        // Half of them mostly printable, so the parser gets past the first byte.
        const string yamlish = " \n:-[]{}\"'&*#ab1.\t";
        if (_random.Next(2) == 0)
            for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)yamlish[bytes[i] % yamlish.Length];
        return bytes;
    }

    private byte[] FlipBytes(byte[] bytes)
    {
        for (var n = _random.Next(1, 4); n > 0 && bytes.Length > 0; n--) bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
        return bytes;
    }

    private string MutateJson()
    {
        var sample = Sample();
        var json = ManifestReader.Read(sample, "sample").Select(o => o.Json).ToList() is var objects && _random.Next(2) == 0
            ? string.Join("\n", objects)
            : "[" + string.Join(",", objects) + "]";
        var text = new StringBuilder(json);
        for (var n = _random.Next(1, 4); n > 0 && text.Length > 0; n--)
        {
            var at = _random.Next(text.Length);
            switch (_random.Next(4))
            {
                case 0: text.Remove(at, 1); break;
                case 1: text.Insert(at, Pick("{}[],:\"\\0-e.tn".ToCharArray())); break;
                case 2: text.Length = at; break; // unterminated
                default: text.Insert(at, Pick(HostileValues)); break;
            }
        }
        return text.ToString();
    }

    private string Splice()
    {
        var documents = Enumerable.Range(0, _random.Next(1, 5)).SelectMany(_ => Sample().Split("---\n")).ToList();
        var separators = new[] { "---\n", "--- \n", "...\n---\n", "--- !!map\n", "%YAML 1.2\n---\n", "--- &d\n", "---\n---\n" };
        return string.Concat(documents.Select(d => Pick(separators) + d + "\n"));
    }

    /// <summary>Bombs; the large ones (near the size limits) are rare, so 10,000 inputs stay a few seconds.</summary>
    private (string, byte[]) Bomb() => _random.Next(100) switch
    {
        < 22 => ("alias bomb", Utf8(ManifestCorpusTests.AliasBomb(_random.Next(2, 10)))),
        < 40 => ("self alias", Utf8(Head + Pick(new[] { "data: &r [*r]", "data: &r { a: *r }", "data: &r [[*r]]", "a: &r\n  b: *r", "data: [&r x, *r, *r]" }) + "\n")),
        < 62 => ("deep", Utf8(Deep(_random.Next(2) == 0 ? _random.Next(55, 75) : _random.Next(1_000, 20_000)))),
        < 80 => ("aliases", Utf8(Head + "data: { a: &a v }\nlist:\n" + string.Concat(Enumerable.Repeat("  - *a\n", _random.Next(90, 110))))),
        < 97 => ("empty", Utf8(Pick(new[] { "", "---", "--- ~", "# only a comment", "\n\n", "...", "~", "[]", "{}", "null", "\"\"", "-", ":" }))),
        97 => ("documents", Utf8(string.Concat(Enumerable.Repeat("---\n" + Head, _random.Next(990, 1010))))),
        98 => ("long string", Utf8(Head + "data: { x: " + new string('s', ManifestLimits.MaxStringLength + _random.Next(-2, 3)) + " }\n")),
        _ => ("bytes near 3 MiB", Utf8(Head + "# " + new string('x', ManifestLimits.MaxInputBytes - Head.Length - 2 + _random.Next(-1, 2)))),
    };

    private const string Head = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: fuzz, namespace: default }\n";

    private string Deep(int levels) => _random.Next(3) switch
    {
        0 => Head + "data: " + new string('[', levels) + new string(']', levels) + "\n",
        1 => Head + "list:\n" + string.Concat(Enumerable.Repeat("- ", levels)) + "x\n",
        _ => "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"deep\"}, \"data\": "
            + string.Concat(Enumerable.Repeat("{\"a\": ", levels)) + "1" + new string('}', levels + 1),
    };
}
