using System.Text.RegularExpressions;

namespace FleetL4.Hosting;

/// <summary>A value the configuration binder could not convert, said like our validators say theirs: the key, the
/// value, and what it may be (an enum's names), instead of the binder's CLR type name.</summary>
public static partial class ConfigurationConversionError
{
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex BinderMessage();

    /// <summary>Whether <paramref name="ex"/> is the binder's conversion failure.</summary>
    public static bool Is(Exception ex) => ex is InvalidOperationException && BinderMessage().IsMatch(ex.Message);

    /// <summary>One line naming the key, e.g. <c>FleetL4:Azure:Credential: "Managed" is not one of Default, StaticToken</c>.</summary>
    public static string Describe(Exception ex)
    {
        var match = BinderMessage().Match(ex.Message);
        if (!match.Success) return ex.Message;
        var key = match.Groups["key"].Value;
        var value = match.Groups["value"].Value;
        var type = FindType(match.Groups["type"].Value);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return $"{key}: \"{value}\" is not {Expected(type)}";
    }

    private static string Expected(Type? type) => type switch
    {
        { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a time span ([d.]hh:mm:ss)",
        _ when type == typeof(Uri) => "a URI",
        _ => $"a valid {type?.Name ?? "value"}",
    };

    private static Type? FindType(string name) =>
        Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);
}
