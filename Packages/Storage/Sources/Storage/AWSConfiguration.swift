public import AWS

/// Where and as whom to call AWS, from the standard environment variables.
public struct AWSConfiguration: Sendable {
    /// The region.
    public var region: String
    /// The credentials.
    public var credentials: AWSCredentials
    /// The DynamoDB endpoint (`https://dynamodb.REGION.amazonaws.com`, or an override such as moto on loopback).
    public var endpoint: String

    /// A configuration.
    public init(region: String, credentials: AWSCredentials, endpoint: String? = nil) {
        self.region = region
        self.credentials = credentials
        self.endpoint = endpoint ?? "https://dynamodb.\(region).amazonaws.com"
    }

    /// `AWS_REGION` (else `AWS_DEFAULT_REGION`), `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
    /// and `AWS_ENDPOINT_URL_DYNAMODB` (else `AWS_ENDPOINT_URL`); throws naming the first missing variable.
    public static func fromEnvironment() throws(StorageError) -> AWSConfiguration {
        do {
            let service = try AWSService.fromEnvironment(signingName: "dynamodb", service: "dynamodb")
            return AWSConfiguration(region: service.region, credentials: service.credentials, endpoint: service.endpoint)
        } catch {
            throw StorageError(.unavailable, "\(error) for DynamoDB")
        }
    }

    /// DynamoDB as an AWS service.
    var service: AWSService {
        AWSService(region: region, credentials: credentials, endpoint: endpoint, signingName: "dynamodb")
    }
}
