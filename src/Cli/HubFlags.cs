using System.CommandLine;
using FleetL4.Client;

namespace FleetL4.Cli;

/// <summary>The flags every command takes to reach the hub: --hub, --cert, --key, --ca and --connect-timeout.</summary>
public sealed class HubFlags
{
    public Option<string?> Hub { get; } = new("--hub")
    {
        Description = $"hub API URL(s), comma-separated to fail over (default ${HubConnectionOptions.HubVariable} or {HubConnectionOptions.DefaultHub})",
        Recursive = true,
    };

    public Option<string?> Certificate { get; } = new("--cert") { Description = $"client certificate, PEM (default ${HubConnectionOptions.CertificateVariable})", Recursive = true };
    public Option<string?> Key { get; } = new("--key") { Description = $"its private key, PEM (default ${HubConnectionOptions.KeyVariable})", Recursive = true };
    public Option<string?> Ca { get; } = new("--ca") { Description = $"CA that issued the hub's certificate, PEM (default ${HubConnectionOptions.CaVariable})", Recursive = true };

    public Option<TimeSpan> ConnectTimeout { get; } = new("--connect-timeout")
    {
        Description = "how long to wait for a hub to accept the connection",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(8),
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Hub);
        root.Options.Add(Certificate);
        root.Options.Add(Key);
        root.Options.Add(Ca);
        root.Options.Add(ConnectTimeout);
    }

    public HubConnectionOptions Resolve(ParseResult result) =>
        HubConnectionOptions.Resolve(result.GetValue(Hub), result.GetValue(Certificate), result.GetValue(Key), result.GetValue(Ca))
        with { ConnectTimeout = result.GetValue(ConnectTimeout) };
}
