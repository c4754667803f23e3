using System.Net;

namespace FleetL4.Benchmarks.ApplyToRoute;

/// <summary>The file each round applies: a Service, its EndpointSlice (one ready endpoint, the banner backend), the
/// ServiceExport and the MultiClusterService, all named "echo" in a namespace of the round's own.</summary>
public static class RouteManifest
{
    public const string Name = "echo";

    public static string Yaml(string ns, IPEndPoint backend) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {Name}
          namespace: {ns}
        spec:
          ports:
            - port: {backend.Port}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {Name}-1
          namespace: {ns}
          labels:
            kubernetes.io/service-name: {Name}
        addressType: IPv4
        ports:
          - port: {backend.Port}
        endpoints:
          - addresses: ["{backend.Address}"]
            conditions: {"{"} ready: true {"}"}
        ---
        apiVersion: networking.fleet.azure.com/v1alpha1
        kind: ServiceExport
        metadata:
          name: {Name}
          namespace: {ns}
        ---
        apiVersion: networking.fleet.azure.com/v1alpha1
        kind: MultiClusterService
        metadata:
          name: {Name}
          namespace: {ns}
        spec:
          serviceImport:
            name: {Name}

        """;
}
