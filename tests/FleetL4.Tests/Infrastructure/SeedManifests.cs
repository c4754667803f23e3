namespace FleetL4.Tests.Infrastructure;

/// <summary>The seed's hub manifests as YAML, for tests that apply them to a hub.</summary>
public static class SeedManifests
{
    /// <summary>The seed's kuard-export-service.yaml with its Namespace, in a namespace of the test's own (the Service
    /// with a clusterIP, as the hub's API server would have allocated it).</summary>
    public static string Workload(string ns, int port = 8080) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {ns}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: kuard
          namespace: {ns}
        spec:
          replicas: 2
          selector: {"{"} matchLabels: {"{"} app: kuard {"}"} {"}"}
          template:
            metadata: {"{"} labels: {"{"} app: kuard {"}"} {"}"}
            spec:
              containers:
                - name: kuard
                  image: gcr.io/kuar-demo/kuard-amd64:blue
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: kuard
          namespace: {ns}
        spec:
          clusterIP: 10.0.0.77
          selector: {"{"} app: kuard {"}"}
          ports:
            - port: {port}
              targetPort: 8080
        ---
        apiVersion: networking.fleet.azure.com/v1alpha1
        kind: ServiceExport
        metadata:
          name: kuard
          namespace: {ns}
        """;

    /// <summary>A ClusterResourcePlacement of one namespace with a spec.policy (indented as under spec:, or empty).</summary>
    public static string Placement(string name, string ns, string policy) => $"""
        apiVersion: placement.kubernetes-fleet.io/v1
        kind: ClusterResourcePlacement
        metadata:
          name: {name}
        spec:
          resourceSelectors:
            - group: ""
              version: v1
              kind: Namespace
              name: {ns}
        {policy}
        """;

    /// <summary>crp-2.yaml's policy: the clusters with all these labels (for <see cref="Placement"/>).</summary>
    public static string RequiredLabels(IReadOnlyDictionary<string, string> labels) => $"""
          policy:
            affinity:
              clusterAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  clusterSelectorTerms:
                    - labelSelector:
                        matchLabels: {"{"} {string.Join(", ", labels.Select(l => $"{l.Key}: {l.Value}"))} {"}"}
        """;

    /// <summary>crp-2.yaml of the seed, as users have it.</summary>
    public const string SeedPlacement = """
        apiVersion: placement.kubernetes-fleet.io/v1
        kind: ClusterResourcePlacement
        metadata:
          name: kuard-demo
        spec:
          resourceSelectors:
            - group: ""
              version: v1
              kind: Namespace
              name: kuard-demo
          policy:
            affinity:
              clusterAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  clusterSelectorTerms:
                    - labelSelector:
                        matchLabels:
                          fleet.azure.com/location: eastus
        """;

    /// <summary>An EndpointSlice of the Service kuard with these ready IPv4 addresses on 8080 (what a member's pods give it).</summary>
    public static string Slice(string ns, string sliceName, params string[] addresses) => $"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {sliceName}
          namespace: {ns}
          labels: {"{"} kubernetes.io/service-name: kuard {"}"}
        addressType: IPv4
        ports: [{"{"} port: 8080 {"}"}]
        endpoints:
        {string.Join("\n", addresses.Select(a => $"  - addresses: [\"{a}\"]\n    conditions: {"{"} ready: true {"}"}"))}
        """;
}
