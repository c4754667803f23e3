using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using FleetL4.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetL4.HubApi;

/// <summary>Serves the hub API on a Kestrel endpoint of its own: HTTP/2 in plain text on loopback, or TLS with client certificates.</summary>
public static class HubApiHosting
{
    public static IServiceCollection AddHubApi(this IServiceCollection services, HubTlsOptions tls)
    {
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = HubLimits.MaxMessageBytes;
            o.MaxSendMessageSize = HubLimits.MaxMessageBytes;
        });
        services.AddSingleton(sp => new FleetGrains(sp.GetRequiredService<IGrainFactory>()));
        services.AddSingleton(sp => new HubIdentity(tls, sp.GetService<TimeProvider>()));
        // Status streams renew leases on the grains' clock (in a silo, Orleans resolves that key to the silo's clock).
        services.TryAddKeyedSingleton(GrainClock.Key, (sp, _) => sp.GetService<TimeProvider>() ?? TimeProvider.System);
        return services;
    }

    /// <summary>Listens on <paramref name="endpoint"/>; with TLS, asks for a client certificate (checked by <see cref="HubIdentity"/>).</summary>
    public static void ListenHub(this KestrelServerOptions kestrel, IPEndPoint endpoint, HubTlsOptions tls, HttpProtocols plainProtocols)
    {
        kestrel.Listen(endpoint, listen =>
        {
            if (!tls.Enabled)
            {
                listen.Protocols = plainProtocols;
                return;
            }
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            var certificate = PemCertificate.Load(tls.CertificateFile!, tls.KeyFile!);
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                // Any certificate passes the handshake, so that a refusal can name its reason (HubIdentity checks every call).
                ClientCertificateValidation = (_, _, _) => true,
            });
        });
        // Idle streams stay open for days; pings find a peer that went away without closing.
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
    }

    /// <summary>The API on its own port only (the dashboard's port does not serve it); null: on every port of the host.</summary>
    public static IEndpointConventionBuilder MapHubApi(this IEndpointRouteBuilder app, int? port = null)
    {
        var api = app.MapGrpcService<HubApiService>();
        return port is { } p ? api.RequireHost($"*:{p}") : api;
    }

    /// <summary>Lets through only admins (by client certificate) when the hub uses TLS; for the dashboard off loopback.</summary>
    public static IApplicationBuilder RequireAdminCertificate(this IApplicationBuilder app, int port) => app.Use(async (http, next) =>
    {
        var identity = http.RequestServices.GetRequiredService<HubIdentity>();
        if (http.Connection.LocalPort == port && identity.RequiresCertificates)
        {
            var (caller, error) = identity.Resolve(http);
            if (caller is not { IsAdmin: true })
            {
                http.Response.StatusCode = caller is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
                await http.Response.WriteAsync(caller is null ? error! : $"{caller} may not open the dashboard: admins only");
                return;
            }
        }
        await next(http);
    });
}
