using FleetL4.Models;

namespace FleetL4.Tests.Members;

/// <summary>Manifests with one field set to a bad (or a boundary) value: the inputs of issue 13 and their neighbours.</summary>
public static class ManifestCases
{
    public static string Service(string port = "{ port: 8080 }", string spec = "", string name = "kuard", string ns = "kuard-demo") => $$"""
        apiVersion: v1
        kind: Service
        metadata: { name: {{name}}, namespace: {{ns}} }
        spec: { {{spec}} ports: [ {{port}} ] }
        """;

    public static string Slice(string endpoints = "[ { addresses: [\"10.1.0.1\"] } ]", string ports = "[ { port: 8080 } ]",
        string addressType = "addressType: IPv4", string name = "kuard-abc") => $$"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: { name: {{name}}, namespace: kuard-demo, labels: { kubernetes.io/service-name: kuard } }
        {{addressType}}
        endpoints: {{endpoints}}
        ports: {{ports}}
        """;

    public static string Object(string apiVersion, string kind, string metadata) => $"""
        apiVersion: {apiVersion}
        kind: {kind}
        metadata: {metadata}
        """;

    public static string Export(string apiVersion = "networking.fleet.azure.com/v1beta1") =>
        Object(apiVersion, "ServiceExport", "{ name: kuard, namespace: kuard-demo }");

    private static readonly string Long = new('a', 10_000);

    /// <summary>(manifest, the field the refusal names).</summary>
    public static TheoryData<string, string> Bad() => new()
    {
        // targetPort: a number 1-65535 or an IANA service name, nothing else.
        { Service("{ port: 80, targetPort: -1 }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: 0 }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: 65536 }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: 2147483648 }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: \"1_000\" }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: \"8080\" }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: true }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: [] }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: {} }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: 80.5 }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: -http }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: http- }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: ht--tp }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: HTTP }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: abcdefghijklmnop }"), "spec.ports[0].targetPort" },
        { Service("{ port: 80, targetPort: \"\" }"), "spec.ports[0].targetPort" },
        // port
        { Service("{ port: 0 }"), "spec.ports[0].port" },
        { Service("{ port: -1 }"), "spec.ports[0].port" },
        { Service("{ port: 65536 }"), "spec.ports[0].port" },
        { Service("{ port: \"8080\" }"), "spec.ports[0].port" },
        { Service("{ name: http }"), "spec.ports[0].port" },
        { Service("{ port: 80, protocol: HTTP }"), "spec.ports[0].protocol" },
        { Service("{ port: 80, protocol: tcp }"), "spec.ports[0].protocol" },
        { Service("{ port: 80, name: Http }"), "spec.ports[0].name" },
        { Service("{ port: 80, name: 5 }"), "spec.ports[0].name" },
        { Service("{ port: 80 }, { port: 81 }"), "spec.ports[0].name" },
        { Service("{ port: 80, name: a }, { port: 81, name: a }"), "spec.ports[1].name" },
        { Service("8080"), "spec.ports[0]" },
        { Service(spec: "type: Magic,"), "spec.type" },
        { Service(spec: "type: 5,"), "spec.type" },
        { Service(spec: "sessionAffinity: Sticky,"), "spec.sessionAffinity" },
        { Service(spec: "clusterIP: 10.0.0.300,"), "spec.clusterIP" },
        { Service(name: "1kuard"), "metadata.name" }, // a Service name is a DNS-1035 label
        { Service(ns: "Kuard_Demo"), "metadata.namespace" },
        { Service(ns: "123"), "metadata.namespace" }, // a number, not the namespace "123" nor "default"
        // EndpointSlice
        { Slice(ports: "[ { port: -1 } ]"), "ports[0].port" },
        { Slice(ports: "[ { port: 0 } ]"), "ports[0].port" },
        { Slice(ports: "[ { port: 65536 } ]"), "ports[0].port" },
        { Slice(ports: "[ { port: 80, protocol: ICMP } ]"), "ports[0].protocol" },
        { Slice(ports: "[ { port: 80, name: a }, { port: 81, name: a } ]"), "ports[1].name" },
        { Slice(addressType: ""), "addressType" },
        { Slice(addressType: "addressType: IPv5"), "addressType" },
        { Slice(endpoints: "[ { addresses: [] } ]"), "endpoints[0].addresses" },
        { Slice(endpoints: "[ { conditions: { ready: true } } ]"), "endpoints[0].addresses" },
        { Slice(endpoints: "[ { addresses: [\"10.1.0.256\"] } ]"), "endpoints[0].addresses[0]" },
        { Slice(endpoints: "[ { addresses: [\"010.1.0.1\"] } ]"), "endpoints[0].addresses[0]" },
        { Slice(endpoints: "[ { addresses: [\"fd00::1\"] } ]"), "endpoints[0].addresses[0]" },
        { Slice(endpoints: "[ { addresses: [\"10.1.0.1\", 5] } ]"), "endpoints[0].addresses[1]" },
        { Slice(endpoints: "[ { addresses: [\"10.1.0.1\"] } ]", addressType: "addressType: IPv6"), "endpoints[0].addresses[0]" },
        { Slice(endpoints: "[ { addresses: [\"[fd00::1]\"] } ]", addressType: "addressType: IPv6"), "endpoints[0].addresses[0]" },
        { Slice(endpoints: "[ { addresses: [\"fd00::1%eth0\"] } ]", addressType: "addressType: IPv6"), "endpoints[0].addresses[0]" },
        { Slice(endpoints: "[ { addresses: [\"10.1.0.1\"], conditions: { ready: \"yes\" } } ]"), "endpoints[0].conditions.ready" },
        { Slice(endpoints: "[ { addresses: [\"10.1.0.1\"], conditions: { serving: 1 } } ]"), "endpoints[0].conditions.serving" },
        { Slice(endpoints: "[ { addresses: [\"10.1.0.1\"], conditions: { terminating: [] } } ]"), "endpoints[0].conditions.terminating" },
        { Slice(endpoints: "[ { addresses: [\"10.1.0.1\"], zone: 5 } ]"), "endpoints[0].zone" },
        { Slice(endpoints: "[ \"10.1.0.1\" ]"), "endpoints[0]" },
        { Slice(endpoints: "[ { addresses: [\"" + string.Join("\", \"", Enumerable.Range(1, 101).Select(i => $"10.1.0.{i}")) + "\"] } ]"), "endpoints[0].addresses" },
        { Slice(name: "../etc"), "metadata.name" },
        { Slice(name: "\"kuard-\U0001F600\""), "metadata.name" },
        { Slice(name: "\"kuard\\nabc\""), "metadata.name" },
        { Slice(name: Long), "metadata.name" },
        { Slice(name: "Kuard"), "metadata.name" },
        // Any kind: a valid name (a DNS-1123 subdomain for most), a namespace, string labels and annotations.
        { Object("v1", "ConfigMap", "{ name: ../etc }"), "metadata.name" },
        { Object("v1", "ConfigMap", $"{{ name: {new string('a', 254)} }}"), "metadata.name" },
        { Object("example.com/v1", "Widget", "{ name: \"w\\tx\" }"), "metadata.name" },
        { Object("example.com/v1", "Widget", "{ name: \"a b\" }"), "metadata.name" },
        { Object("example.com/v1", "Widget", "{ name: w, namespace: 123 }"), "metadata.namespace" },
        { Object("example.com/v1", "Widget", "{ name: w, namespace: [] }"), "metadata.namespace" },
        { Object("example.com/v1", "Widget", "{ name: w, namespace: ../etc }"), "metadata.namespace" },
        { Object("example.com/v1", "Widget", "{ name: w, labels: { app: 1 } }"), "metadata.labels[app]" },
        { Object("example.com/v1", "Widget", "{ name: w, labels: { \"bad key\": x } }"), "metadata.labels[bad key]" },
        { Object("example.com/v1", "Widget", "{ name: w, annotations: { note: true } }"), "metadata.annotations[note]" },
        { Object("example.com/v1", "Widget", "{ name: w, annotations: [] }"), "metadata.annotations" },
        { Object("rbac.authorization.k8s.io/v1", "ClusterRole", "{ name: ../etc }"), "metadata.name" },
        { Object("v1", "Namespace", "{ name: kuard.demo }"), "metadata.name" },
        // Kinds we act on, in an apiVersion we do not serve.
        { Export("v1"), "apiVersion" },
        { Export("networking.x-k8s.io/v1alpha1"), "apiVersion" },
        { Export("multicluster.x-k8s.io/v1alpha1"), "apiVersion" },
        { Export("networking.fleet.azure.com/v1"), "apiVersion" },
        { Object("networking.fleet.azure.com/v1beta1", "MultiClusterService", "{ name: kuard }"), "apiVersion" },
        { Object("discovery.k8s.io/v1beta1", "EndpointSlice", "{ name: kuard }"), "apiVersion" },
        { Object("v2", "Service", "{ name: kuard }"), "apiVersion" },
        { Object("networking.k8s.io/v1", "Namespace", "{ name: kuard }"), "apiVersion" },
        // MultiClusterService: the fields read have their types.
        { Object("networking.fleet.azure.com/v1alpha1", "MultiClusterService", "{ name: kuard }\nspec: { serviceImport: { name: 5 } }"), "spec.serviceImport.name" },
        { Object("networking.fleet.azure.com/v1alpha1", "MultiClusterService", "{ name: kuard }\nspec: { serviceImport: kuard }"), "spec.serviceImport" },
        { Object("networking.fleet.azure.com/v1alpha1", "MultiClusterService", "{ name: kuard }\nspec: 5"), "spec" },
    };

    private const string Widget = "\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\"";

    /// <summary>What a client of the hub API could send beside what the manifest reader refuses: (object, field).</summary>
    public static TheoryData<ManifestObject, string> BadFromApi() => new()
    {
        { Api("w", null, "{" + Widget + ",\"metadata\":{\"name\":5}}"), "metadata.name" },
        { Api("w", null, "{" + Widget + ",\"metadata\":[]}"), "metadata" },
        { Api("w", null, "{" + Widget + "}"), "metadata" },
        { Api("w", null, "{" + Widget + ",\"metadata\":{\"name\":\"other\"}}"), "metadata.name" },
        { Api("w", "ns-a", "{" + Widget + ",\"metadata\":{\"name\":\"w\",\"namespace\":\"ns-b\"}}"), "metadata.namespace" },
        { Api("w", "ns-a", "{" + Widget + ",\"metadata\":{\"name\":\"w\"}}"), "metadata.namespace" },
        { Api("w", null, "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Gadget\",\"metadata\":{\"name\":\"w\"}}"), "kind" },
        { Api("w", null, "{" + Widget + ",\"metadata\":{\"name\":\"w\",\"name\":\"x\"}}"), "object" },
        { Api("w", null, "{" + Widget + ",\"metadata\":{\"name\":\"w\"}"), "object" },
        { Api("w", null, "[]"), "object" },
    };

    private static ManifestObject Api(string name, string? ns, string json) => new("example.com/v1", "Widget", ns, name, json, 1);

    /// <summary>The boundary values that are valid.</summary>
    public static TheoryData<string> Good() => new()
    {
        Service("{ port: 1, targetPort: 1 }"),
        Service("{ port: 65535, targetPort: 65535 }"),
        Service("{ port: 80, targetPort: http }"),
        Service("{ port: 80, targetPort: a }"),
        Service("{ port: 80, targetPort: abcdefghijklmno }"),
        Service("{ port: 80, targetPort: 8-http }"),
        Service("{ port: 80, name: a, protocol: UDP, appProtocol: kubernetes.io/h2c }, { port: 80, name: b, protocol: TCP }"),
        Service(spec: "type: LoadBalancer, clusterIP: None, sessionAffinity: ClientIP,"),
        Service(name: "a" + new string('b', 62), ns: new string('n', 63)),
        Slice(ports: "[ { port: 1 }, { port: 65535, name: b, protocol: SCTP }, { name: c } ]"),
        Slice(endpoints: "[ { addresses: [\"fd00::1\"], conditions: { ready: false, serving: true, terminating: true }, zone: eastus-1 } ]", addressType: "addressType: IPv6"),
        Slice(endpoints: "[ { addresses: [\"kuard.example.com\"] } ]", addressType: "addressType: FQDN"),
        Slice(endpoints: "[ { addresses: [\"" + string.Join("\", \"", Enumerable.Range(1, 100).Select(i => $"10.1.0.{i}")) + "\"] } ]"),
        Slice(endpoints: "[]", ports: "[]"),
        Slice(name: "kuard-abc.x" + new string('a', 242)),
        Object("v1", "ConfigMap", $"{{ name: {new string('a', 253)} }}"),
        Object("v1", "ConfigMap", "{ name: kuard.config, namespace: \"\" }"),
        Object("rbac.authorization.k8s.io/v1", "ClusterRole", "{ name: \"system:controller:kuard\" }"),
        Object("v1", "Namespace", "{ name: kuard-demo }"),
        Object("serving.knative.dev/v1", "Service", "{ name: kuard }"), // another group's Service: stored with a warning
        Object("example.com/v1", "Widget", "{ name: w, labels: { app: kuard, example.com/tier: \"\" }, annotations: { note: \"any text\" } }"),
        Export("networking.fleet.azure.com/v1alpha1"),
        Export(),
        Object("networking.fleet.azure.com/v1alpha1", "MultiClusterService", "{ name: kuard }\nspec: { serviceImport: { name: kuard } }"),
    };
}
