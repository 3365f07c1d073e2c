import Transport
import Glibc

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
        let value = ProcessEnvironment.nonEmptyValue
        guard let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") else {
            throw StorageError(.unavailable, "environment variable AWS_REGION is required for DynamoDB")
        }
        guard let keyID = value("AWS_ACCESS_KEY_ID") else {
            throw StorageError(.unavailable, "environment variable AWS_ACCESS_KEY_ID is required for DynamoDB")
        }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw StorageError(.unavailable, "environment variable AWS_SECRET_ACCESS_KEY is required for DynamoDB")
        }
        return AWSConfiguration(region: region,
                                credentials: AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                                                            sessionToken: value("AWS_SESSION_TOKEN")),
                                endpoint: value("AWS_ENDPOINT_URL_DYNAMODB") ?? value("AWS_ENDPOINT_URL"))
    }
}
