namespace FleetL4.Hosting.Demo;

/// <summary>Where the `--demo` walkthrough runs its pods; section "Demo" of the configuration.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>A /24 of 127.0.0.0/8 for the kuard pods: pod <c>i</c> of aks-member-<c>n</c> listens on <c>.{10n+i}:8080</c>
    /// (127.0.61.11, .12, .21, .22 by default). Set another block to run a second demo beside the first.</summary>
    public string PodNetwork { get; set; } = "127.0.61.0/24";

    /// <summary>The port every pod and the MultiClusterService's frontend serve (kuard's).</summary>
    public const int Port = 8080;
}
