using Microsoft.Extensions.Logging;

namespace FleetL4.Benchmarks;

/// <summary>
/// Prints only Kestrel's events that say why it aborted or closed a connection or stream (minimum data rates,
/// HTTP/2 errors, resets). Kestrel logs them at Debug, among a line per request body, so a level filter alone
/// cannot keep just these.
/// </summary>
public sealed class KestrelAbortLog : ILoggerProvider, ILogger
{
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel";

    private static readonly string[] Words = ["Abort", "MinimumDataRate", "Error", "Reset", "Timeout", "Flood", "GoAway"];

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose() { }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name is not { } name || !Words.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase))) return;
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] kestrel {logLevel} {name}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
    }
}
