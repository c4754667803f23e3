namespace FleetL4.FakeArm;

/// <summary>
/// The error codes the fake answers with. Where ARM or the Microsoft.Network resource provider (NRP) is known to use
/// a code (ResourceGroupNotFound, ResourceNotFound, NotFound, InvalidResourceReference, PublicIPAddressCannotBeDeleted,
/// FrontendIPConfigHasBothSubnetAndPublicIP, PreconditionFailed, SubscriptionRequestsThrottled,
/// RetryableErrorDueToAnotherOperation, AnotherOperationInProgress, Canceled + CanceledAndSupersededDueToAnotherOperation,
/// PublicIPCountLimitReached, PrivateIPAddressInUse, InvalidApiVersionParameter, NoRegisteredProviderFound) the fake uses
/// it; the other validation codes are descriptive, and every message names the offending property.
/// </summary>
public static class ArmErrorCodes
{
    // ARM front door
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string InvalidAuthenticationToken = "InvalidAuthenticationToken";
    public const string MissingApiVersionParameter = "MissingApiVersionParameter";
    public const string InvalidApiVersionParameter = "InvalidApiVersionParameter";
    public const string NoRegisteredProviderFound = "NoRegisteredProviderFound";
    public const string SubscriptionNotFound = "SubscriptionNotFound";
    public const string ResourceGroupNotFound = "ResourceGroupNotFound";
    public const string ResourceNotFound = "ResourceNotFound";
    public const string InvalidResourceType = "InvalidResourceType";
    public const string UnsupportedHttpVerb = "UnsupportedHttpVerb";
    public const string InvalidRequestContent = "InvalidRequestContent";
    public const string PreconditionFailed = "PreconditionFailed";
    public const string SubscriptionRequestsThrottled = "SubscriptionRequestsThrottled";

    // NRP: busy resources, throttling, failures
    public const string NotFound = "NotFound";
    public const string TooManyRequests = "TooManyRequests";
    public const string RetryableErrorDueToAnotherOperation = "RetryableErrorDueToAnotherOperation";
    public const string AnotherOperationInProgress = "AnotherOperationInProgress";
    public const string InternalServerError = "InternalServerError";
    public const string Canceled = "Canceled";
    public const string CanceledAndSupersededDueToAnotherOperation = "CanceledAndSupersededDueToAnotherOperation";

    // NRP: validation of a request body
    public const string MissingRequiredProperty = "MissingRequiredProperty";
    public const string InvalidResourceName = "InvalidResourceName";
    public const string InvalidResourceLocation = "InvalidResourceLocation";
    public const string UnsupportedSku = "UnsupportedSku";
    public const string InvalidEnumValue = "InvalidEnumValue";
    public const string ValueOutOfRange = "ValueOutOfRange";
    public const string PortOutOfRange = "PortOutOfRange";
    public const string InvalidIPAddress = "InvalidIPAddress";
    public const string InvalidResourceReference = "InvalidResourceReference";

    // NRP: public IP addresses
    public const string StandardSkuPublicIPAddressesMustBeStatic = "StandardSkuPublicIPAddressesMustBeStatic";
    public const string PublicIPAddressVersionCannotBeChanged = "PublicIPAddressVersionCannotBeChanged";
    public const string PublicIPCountLimitReached = "PublicIPCountLimitReached";
    public const string PublicIPAddressCannotBeDeleted = "PublicIPAddressCannotBeDeleted";
    public const string PublicIPAddressInUse = "PublicIPAddressInUse";

    // NRP: load balancers
    public const string FrontendIPConfigHasBothSubnetAndPublicIP = "FrontendIPConfigHasBothSubnetAndPublicIP";
    public const string FrontendIPConfigHasNeitherSubnetNorPublicIP = "FrontendIPConfigHasNeitherSubnetNorPublicIP";
    public const string LoadBalancerMixesPublicAndInternalFrontends = "LoadBalancerMixesPublicAndInternalFrontends";
    public const string PrivateIPAddressNotInSubnet = "PrivateIPAddressNotInSubnet";
    public const string PrivateIPAddressInUse = "PrivateIPAddressInUse";
    public const string SubnetIsFull = "SubnetIsFull";
    public const string DuplicateFrontendPortAndProtocol = "DuplicateFrontendPortAndProtocol";
    public const string DuplicateBackendPortProtocolAndPool = "DuplicateBackendPortProtocolAndPool";
    public const string MaxFrontendIPConfigurationsPerLoadBalancerReached = "MaxFrontendIPConfigurationsPerLoadBalancerReached";
    public const string MaxLoadBalancingRulesPerLoadBalancerReached = "MaxLoadBalancingRulesPerLoadBalancerReached";
    public const string MaxBackendAddressesPerPoolReached = "MaxBackendAddressesPerPoolReached";
    public const string BackendAddressNotInVirtualNetwork = "BackendAddressNotInVirtualNetwork";
    public const string InUseBackendAddressPoolCannotBeDeleted = "InUseBackendAddressPoolCannotBeDeleted";
}
