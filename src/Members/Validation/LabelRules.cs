using System.Text.RegularExpressions;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Kubernetes label syntax: key "[prefix/]name" (annotation keys too), value at most 63 characters.</summary>
public static partial class LabelRules
{
    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\\z")]
    private static partial Regex QualifiedName();

    /// <param name="field">Where the labels are: "labels" (a MemberCluster's) or "metadata.labels".</param>
    public static void Validate(IReadOnlyDictionary<string, string> labels, string field = "labels")
    {
        foreach (var (key, value) in labels)
        {
            RequireKey($"{field}[{key}]", key);
            RequireValue($"{field}[{key}]", value);
        }
    }

    /// <summary>A label or annotation key: an optional DNS-1123 subdomain prefix and '/', then a name of 1-63 characters.</summary>
    public static void RequireKey(string field, string key)
    {
        var slash = key.IndexOf('/');
        var prefix = slash >= 0 ? key[..slash] : null;
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        if (prefix is not null && !NameRules.IsDns1123Subdomain(prefix))
            throw new FleetValidationException(field, $"key prefix {NameRules.Quote(prefix)} is not a DNS-1123 subdomain");
        if (name.Length is 0 or > 63 || !QualifiedName().IsMatch(name))
            throw new FleetValidationException(field, $"key name {NameRules.Quote(name)} must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
    }

    public static bool IsValue(string value) => value.Length == 0 || (value.Length <= 63 && QualifiedName().IsMatch(value));

    public static void RequireValue(string field, string value)
    {
        if (!IsValue(value))
            throw new FleetValidationException(field, $"value {NameRules.Quote(value)} must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
    }
}
