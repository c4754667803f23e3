using System.Text.RegularExpressions;
using FleetL4.Models;

namespace FleetL4.Domain;

/// <summary>Kubernetes label syntax: key "[prefix/]name", value at most 63 characters.</summary>
public static partial class LabelRules
{
    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\\z")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z")]
    private static partial Regex Dns1123Subdomain();

    public static void Validate(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            var field = $"labels[{key}]";
            var slash = key.IndexOf('/');
            var prefix = slash >= 0 ? key[..slash] : null;
            var name = slash >= 0 ? key[(slash + 1)..] : key;
            if (prefix is not null && (prefix.Length > 253 || !Dns1123Subdomain().IsMatch(prefix)))
                throw new FleetValidationException(field, $"key prefix \"{prefix}\" is not a DNS-1123 subdomain");
            if (name.Length is 0 or > 63 || !QualifiedName().IsMatch(name))
                throw new FleetValidationException(field, $"key name \"{name}\" must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            if (value.Length > 63 || (value.Length > 0 && !QualifiedName().IsMatch(value)))
                throw new FleetValidationException(field, $"value \"{value}\" must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
        }
    }
}
