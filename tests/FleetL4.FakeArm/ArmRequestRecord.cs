using System.Net;

namespace FleetL4.FakeArm;

/// <summary>One request the fake answered (authenticated or not).</summary>
/// <param name="Time">When it arrived, by <see cref="FakeArmOptions.Clock"/>.</param>
/// <param name="IsWrite">PUT, PATCH, DELETE or POST: what NRP's write budget counts.</param>
/// <param name="ErrorCode">The ARM error code of an error answer.</param>
public sealed record ArmRequestRecord(DateTimeOffset Time, string Method, string Path, HttpStatusCode Status, bool IsWrite, string? ErrorCode)
{
    public override string ToString() => $"{Time:HH:mm:ss.fff} {Method} {Path} -> {(int)Status}{(ErrorCode is null ? "" : " " + ErrorCode)}";
}
