using System.Diagnostics;
using System.Net.Sockets;

namespace FleetL4.Tests.Infrastructure;

/// <summary>
/// Azurite, the Azure Storage emulator (npm, pinned in tests/azurite/package.json): installed there on first use if
/// `.ci/run` has not, started on 127.0.0.1 with free ports and a temp folder, killed and its folder deleted at the end.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development account (public, documented by Microsoft): not a secret.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process _process;
    private readonly string _folder;

    private Azurite(Process process, string folder, int blobPort, int tablePort)
    {
        _process = process;
        _folder = folder;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};"
            + $"BlobEndpoint=http://127.0.0.1:{blobPort}/{Account};TableEndpoint=http://127.0.0.1:{tablePort}/{Account};";
    }

    public string ConnectionString { get; }

    /// <summary>The hub arguments of a multi-silo hub on this Azurite: Azure Table membership, grain state in blobs,
    /// its own cluster id, one frontend pool for all its silos, the in-memory provider, no dashboard.</summary>
    public string[] HubArguments(string clusterId, string frontendPool) =>
    [
        "--Hub:Clustering=AzureStorage", "--Hub:Storage=AzureStorage", $"--Hub:AzureStorage:ConnectionString={ConnectionString}",
        $"--Hub:ClusterId={clusterId}", $"--Hub:ServiceId={clusterId}", $"--FleetL4:FrontendPool={frontendPool}",
        "--FleetL4:Provider=InMemory", "--Hub:Dashboard=false",
    ];

    public static async Task<Azurite> StartAsync()
    {
        var bin = await InstalledAsync();
        var folder = Directory.CreateTempSubdirectory("fleetl4-azurite-").FullName;
        var ports = LoopbackBlock.FreePorts(3);
        string[] arguments = ["--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", folder,
            "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}", "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}"];
        var azurite = new Azurite(Launch(bin, arguments), folder, ports[0], ports[2]) { _bin = bin, _arguments = arguments, _ports = ports };
        try
        {
            await azurite.ListeningAsync();
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
        return azurite;
    }

    private string _bin = "";
    private string[] _arguments = [];
    private int[] _ports = [];

    /// <summary>Stops Azurite as a service stop does (SIGTERM: it saves its data and exits): storage is gone for the hub.</summary>
    public async Task StopAsync()
    {
        using (var term = Process.Start("kill", ["-TERM", $"{_process.Id}"])) await term.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>Starts Azurite again on the same ports and folder: storage is back with everything it held.</summary>
    public async Task StartAgainAsync()
    {
        _process.Dispose();
        _process = Launch(_bin, _arguments);
        await ListeningAsync();
    }

    private static Process Launch(string bin, string[] arguments)
    {
        var psi = new ProcessStartInfo(bin)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private Task ListeningAsync() =>
        Eventually.True(() => !_process.HasExited && Listening(_ports[0]) && Listening(_ports[2]), "Azurite listening", TimeSpan.FromSeconds(60));

    private static bool Listening(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>tests/azurite/node_modules/.bin/azurite, after `npm ci` there when it is missing.</summary>
    private static async Task<string> InstalledAsync()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tests", "azurite", "package.json"))) dir = dir.Parent;
        var folder = dir is null ? throw new InvalidOperationException("tests/azurite/package.json not found above " + AppContext.BaseDirectory)
            : Path.Combine(dir.FullName, "tests", "azurite");
        var bin = Path.Combine(folder, "node_modules", ".bin", "azurite");
        if (File.Exists(bin)) return bin;
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(bin)) return bin;
            var npm = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            using var install = Process.Start(npm) ?? throw new InvalidOperationException("npm is needed for the Azure Storage tests (Node 20: apt-get install nodejs npm)");
            var output = install.StandardError.ReadToEndAsync();
            await install.StandardOutput.ReadToEndAsync();
            await install.WaitForExitAsync();
            if (install.ExitCode != 0) throw new InvalidOperationException($"npm ci in {folder} failed: {await output}");
            return bin;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* Azurite's last writes; the temp folder is swept anyway */ }
    }
}
