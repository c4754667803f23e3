using k8s;

namespace FleetL4.HubKubernetes;

/// <summary>The client of the hub's own API server: the kubeconfig of Hub:Kubernetes:Kubeconfig, else the pod's
/// in-cluster configuration (its service account, KUBERNETES_SERVICE_HOST).</summary>
public static class HubKubernetesClient
{
    public static IKubernetes Create(HubKubernetesOptions options)
    {
        var (config, error) = Configuration(options);
        return config is null ? throw new InvalidOperationException(error) : new Kubernetes(config);
    }

    /// <summary>The configuration, or why there is none, naming the key to set.</summary>
    public static (KubernetesClientConfiguration? Config, string? Error) Configuration(HubKubernetesOptions options)
    {
        const string key = HubKubernetesOptions.Section + ":" + nameof(HubKubernetesOptions.Kubeconfig);
        if (!string.IsNullOrWhiteSpace(options.Kubeconfig))
        {
            if (!File.Exists(options.Kubeconfig)) return (null, $"{key}: file \"{options.Kubeconfig}\" does not exist");
            try
            {
                return (KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig), null);
            }
            catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or YamlDotNet.Core.YamlException or ArgumentException)
            {
                return (null, $"{key}: \"{options.Kubeconfig}\" is not a usable kubeconfig: {ex.Message}");
            }
        }
        if (!KubernetesClientConfiguration.IsInCluster())
            return (null, $"{key}: not set, and the hub does not run in a pod (no KUBERNETES_SERVICE_HOST or service account token) for the in-cluster configuration: set {key} to a kubeconfig file, or {HubKubernetesOptions.Section}:{nameof(HubKubernetesOptions.Watch)}=false");
        try
        {
            return (KubernetesClientConfiguration.InClusterConfig(), null);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException)
        {
            return (null, $"{key}: not set, and the in-cluster configuration failed: {ex.Message}");
        }
    }
}
