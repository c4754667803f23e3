using System.Net;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace FleetL4.Silo;

/// <summary>
/// How the hub's silo finds the others and where it keeps grain state and reminders (Hub:Clustering, Hub:Storage,
/// Hub:AzureStorage, Hub:ClusterId/ServiceId). Memory storage with localhost clustering is the embedded hub; Azure
/// Storage makes several silos one hub whose state survives all of them.
/// </summary>
public static class HubSiloHosting
{
    public static void ConfigureHub(this ISiloBuilder silo, HubOptions hub)
    {
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (hub.ClusterId, hub.ServiceId));
        var azure = hub.AzureStorage;
        switch (hub.Clustering)
        {
            case HubClustering.Kubernetes:
                // Pod identity and address come from the pod (POD_NAME, POD_NAMESPACE, POD_IP).
                var podIp = IPAddress.Parse(Environment.GetEnvironmentVariable("POD_IP") ?? "127.0.0.1");
                silo.UseKubernetesHosting();
                silo.ConfigureEndpoints(podIp, hub.SiloPort, hub.GatewayPort, listenOnAnyHostAddress: true);
                if (azure.Configured) silo.UseAzureStorageClustering(o => o.TableServiceClient = Tables(azure));
                else silo.UseDevelopmentClustering(new IPEndPoint(podIp, hub.SiloPort)); // one replica, its own primary
                break;
            case HubClustering.AzureStorage:
                silo.ConfigureEndpoints(IPAddress.Parse(hub.AdvertisedAddress ?? "127.0.0.1"), hub.SiloPort, hub.GatewayPort);
                silo.UseAzureStorageClustering(o => o.TableServiceClient = Tables(azure));
                // After every silo died at once the table still lists them as active, and a joining silo first checks
                // that it reaches every active one: it gives up on the dead after 10 s (not 5 minutes) and evicts them.
                silo.Configure<ClusterMembershipOptions>(o => (o.MaxJoinAttemptTime, o.EvictWhenMaxJoinAttemptTimeExceeded) = (TimeSpan.FromSeconds(10), true));
                break;
            default:
                silo.UseLocalhostClustering(hub.SiloPort, hub.GatewayPort, serviceId: hub.ServiceId, clusterId: hub.ClusterId);
                break;
        }
        if (hub.Storage == HubStorage.AzureStorage)
        {
            // Blobs, not tables: an export or import's state can outgrow a table entity (1 MB, 64 KB per property).
            // Orleans' own serializer, as for every grain call: the JSON default writes runtime type names ($type) that
            // it then refuses to read back for types such as a collection expression's list.
            silo.AddAzureBlobGrainStorage(StorageNames.Fleet, (OptionsBuilder<AzureBlobStorageOptions> blob) => blob.Configure<Serializer>((o, serializer) =>
            {
                o.BlobServiceClient = Blobs(azure);
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
            silo.UseAzureTableReminderService(o => o.TableServiceClient = Tables(azure));
        }
        else
        {
            silo.AddMemoryGrainStorage(StorageNames.Fleet);
            silo.UseInMemoryReminderService();
        }
    }

    private static TableServiceClient Tables(HubAzureStorageOptions azure) =>
        azure.ConnectionString is { Length: > 0 } connection ? new(connection) : new(azure.TableServiceUri!, new DefaultAzureCredential());

    private static BlobServiceClient Blobs(HubAzureStorageOptions azure) =>
        azure.ConnectionString is { Length: > 0 } connection ? new(connection) : new(azure.BlobServiceUri!, new DefaultAzureCredential());
}
