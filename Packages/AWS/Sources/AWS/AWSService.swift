import Transport

/// Where and as whom to call one AWS service, from the standard environment variables a Lambda function has.
public struct AWSService: Sendable {
    /// The region (`us-east-1`).
    public var region: String
    /// The credentials (the function's role on Lambda).
    public var credentials: AWSCredentials
    /// The endpoint URL, without a trailing slash.
    public var endpoint: String
    /// The name signatures are scoped to (`dynamodb`, `verifiedpermissions`).
    public var signingName: String

    /// A service at `endpoint`.
    public init(region: String, credentials: AWSCredentials, endpoint: String, signingName: String) {
        self.region = region
        self.credentials = credentials
        self.endpoint = endpoint
        self.signingName = signingName
    }

    /// Why the environment does not say how to call the service: the first missing variable.
    public struct MissingVariable: Error, Equatable, CustomStringConvertible {
        public let name: String
        public var description: String { "environment variable \(name) is required" }
    }

    /// `AWS_REGION` (else `AWS_DEFAULT_REGION`), `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
    /// and the endpoint from `AWS_ENDPOINT_URL_<SERVICE>` (`service` upper-cased: `DYNAMODB`), else
    /// `AWS_ENDPOINT_URL`, else `https://<signingName>.<region>.amazonaws.com`.
    public static func fromEnvironment(signingName: String, service: String) throws(MissingVariable) -> AWSService {
        let value = ProcessEnvironment.nonEmptyValue
        guard let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") else { throw MissingVariable(name: "AWS_REGION") }
        guard let keyID = value("AWS_ACCESS_KEY_ID") else { throw MissingVariable(name: "AWS_ACCESS_KEY_ID") }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else { throw MissingVariable(name: "AWS_SECRET_ACCESS_KEY") }
        let endpoint = value("AWS_ENDPOINT_URL_" + service.uppercased()) ?? value("AWS_ENDPOINT_URL")
            ?? "https://\(signingName).\(region).amazonaws.com"
        return AWSService(region: region, credentials: AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                                                                       sessionToken: value("AWS_SESSION_TOKEN")),
                          endpoint: endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint, signingName: signingName)
    }
}
