using System.Net;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace FleetL4.Hosting;

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
                silo.UseAzureStorageClustering(o => o.TableServiceClient = Tables(azure)); // required by the validator
                DetectFailuresFast(silo);
                break;
            case HubClustering.AzureStorage:
                silo.ConfigureEndpoints(IPAddress.Parse(hub.AdvertisedAddress ?? "127.0.0.1"), hub.SiloPort, hub.GatewayPort);
                silo.UseAzureStorageClustering(o => o.TableServiceClient = Tables(azure));
                DetectFailuresFast(silo);
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
            silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
        }
        else
        {
            silo.AddMemoryGrainStorage(StorageNames.Fleet);
            silo.UseInMemoryReminderService();
        }
    }

    /// <summary>
    /// Orleans' defaults take 15-30 s to declare a dead silo dead, and until then calls to its grains fail or wait:
    /// probes every 2 s, dead after 3 missed (about 6 s; two silos must agree, as by default), a table read every
    /// 10 s instead of 60. A call waiting on a dead silo is broken when it is declared dead, so the response timeout
    /// stays at Orleans' 30 s for large batches. Measured in BENCHMARKS.md ("Silo failure").
    /// </summary>
    private static void DetectFailuresFast(ISiloBuilder silo) => silo.Configure<ClusterMembershipOptions>(o =>
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(2);
        o.NumMissedProbesLimit = 3;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        // After a full outage the table lists every dead silo as Active, and a joining silo exits unless it reaches all
        // Active entries within MaxJoinAttemptTime (MembershipAgent.ValidateInitialConnectivity). A Joining silo probes
        // only entries that are suspected or stale (no IAmAlive write for IAmAliveTablePublishTimeout x
        // NumMissedTableIAmAliveLimit; ClusterHealthMonitor.UpdateMonitoredSilos, redone every TableRefreshTimeout), and
        // with no non-stale Active silo one vote evicts (MembershipTableManager.TryToSuspectOrKill needs
        // min(NumVotesForDeathDeclaration, (activeNonStale + 1) / 2)). Orleans' 30 s x 3 kept dead entries fresh for up
        // to 90 s, so silos restarted one by one gave up; with 5 s x 2 they are stale 10 s after the crash and the first
        // silo back evicts them and joins in about 15 s (30 s allowed: stale 10 s, next re-check within 10 s, 3 failed
        // probes). Evicting a live silo still takes missed probes. Cost: one IAmAlive table write per silo every 5 s.
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        o.NumMissedTableIAmAliveLimit = 2;
        o.MaxJoinAttemptTime = TimeSpan.FromSeconds(30);
        o.EvictWhenMaxJoinAttemptTimeExceeded = true;
    });

    private static TableServiceClient Tables(HubAzureStorageOptions azure)
    {
        var options = Bounded(new TableClientOptions());
        return azure.ConnectionString is { Length: > 0 } connection ? new(connection, options) : new(azure.TableServiceUri!, new DefaultAzureCredential(), options);
    }

    private static BlobServiceClient Blobs(HubAzureStorageOptions azure)
    {
        var options = Bounded(new BlobClientOptions());
        return azure.ConnectionString is { Length: > 0 } connection ? new(connection, options) : new(azure.BlobServiceUri!, new DefaultAzureCredential(), options);
    }

    /// <summary>A storage account that does not answer fails a call within about 30 s (3 tries of at most 8 s, short
    /// waits between), not the SDK's 100 s per try: the caller hears "storage unavailable" while it still waits.</summary>
    private static T Bounded<T>(T options) where T : Azure.Core.ClientOptions
    {
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(8);
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        return options;
    }
}
