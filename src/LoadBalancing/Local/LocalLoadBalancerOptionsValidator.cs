using Microsoft.Extensions.Options;

namespace FleetL4.LoadBalancing.Local;

/// <summary>Checks FleetL4:LocalLoadBalancer at start.</summary>
public sealed class LocalLoadBalancerOptionsValidator : IValidateOptions<LocalLoadBalancerOptions>
{
    /// <summary>Azure LB's limit on a probe's requestPath is far above any real one; this keeps the probe request small.</summary>
    public const int MaxProbePathLength = 1024;

    public ValidateOptionsResult Validate(string? name, LocalLoadBalancerOptions o)
    {
        var failures = new List<string>();
        void Fail(string key, string message) => failures.Add($"{LocalLoadBalancerOptions.Section}:{key}: {message}");
        void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) Fail(key, $"{value} must be greater than zero");
        }
        Positive(nameof(o.ProbeInterval), o.ProbeInterval);
        Positive(nameof(o.ProbeTimeout), o.ProbeTimeout);
        Positive(nameof(o.UdpIdleTimeout), o.UdpIdleTimeout);
        Positive(nameof(o.ConnectTimeout), o.ConnectTimeout);
        Positive(nameof(o.PassiveTimeout), o.PassiveTimeout);
        Positive(nameof(o.PassiveEjection), o.PassiveEjection);
        if (o.PassiveEjection > BackendHealth.MaxEjection)
            Fail(nameof(o.PassiveEjection), $"{o.PassiveEjection} must be at most {BackendHealth.MaxEjection}");
        if (o.ProbeThreshold < 1) Fail(nameof(o.ProbeThreshold), $"{o.ProbeThreshold} must be at least 1");
        if (o.PassiveFailures is < 0 or > 100) Fail(nameof(o.PassiveFailures), $"{o.PassiveFailures} must be from 0 (off) to 100");
        if (!Enum.IsDefined(o.ProbeProtocol)) Fail(nameof(o.ProbeProtocol), $"{o.ProbeProtocol} must be Tcp or Http");
        if (ProbePathError(o.ProbePath) is { } pathError) Fail(nameof(o.ProbePath), pathError);
        if (o.BufferSize is < 1024 or > 1024 * 1024) Fail(nameof(o.BufferSize), $"{o.BufferSize} must be from 1024 to 1048576");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why <paramref name="path"/> cannot be an HTTP probe's path (an absolute path, optionally with a query), or null.</summary>
    public static string? ProbePathError(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "empty; it must start with '/'";
        if (path.Length > MaxProbePathLength) return $"{path.Length} characters; at most {MaxProbePathLength}";
        // Checked before the path is quoted, so a control character never reaches a log line.
        var bad = path.AsSpan().IndexOfAnyExceptInRange('!', '~');
        if (bad >= 0) return $"character {bad} (U+{(int)path[bad]:X4}) is not printable ASCII; percent-encode it";
        if (path[0] != '/') return $"'{path}' must start with '/'";
        if (path.Contains('#')) return $"'{path}' must not have a fragment";
        return Uri.TryCreate("http://probe" + path, UriKind.Absolute, out _) ? null : $"'{path}' is not a valid URL path";
    }
}
