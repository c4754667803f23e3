using System.Text;
using FleetL4.Models;
using Grpc.Core;

namespace FleetL4.HubApi;

/// <summary>How a refused input crosses the API: InvalidArgument with the field and the detail in trailers (UTF-8).</summary>
public static class HubErrors
{
    private const string FieldKey = "fleetl4-field-bin";
    private const string DetailKey = "fleetl4-detail-bin";

    public static RpcException Invalid(FleetValidationException ex) => new(new Status(StatusCode.InvalidArgument, ex.Message), new Metadata
    {
        { FieldKey, Encoding.UTF8.GetBytes(ex.Field) },
        { DetailKey, Encoding.UTF8.GetBytes(ex.Detail) },
    });

    /// <summary>The validation error an InvalidArgument carries, as the hub raised it.</summary>
    public static FleetValidationException? Validation(RpcException ex)
    {
        if (ex.StatusCode != StatusCode.InvalidArgument) return null;
        var field = ex.Trailers.GetValueBytes(FieldKey);
        var detail = ex.Trailers.GetValueBytes(DetailKey);
        return field is null || detail is null
            ? new FleetValidationException("request", ex.Status.Detail)
            : new FleetValidationException(Encoding.UTF8.GetString(field), Encoding.UTF8.GetString(detail));
    }
}
