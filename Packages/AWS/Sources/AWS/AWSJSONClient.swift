import Glibc
public import TransportClient

/// One AWS JSON-protocol service (`X-Amz-Target: <prefix>.<Operation>`, `application/x-amz-json-1.0`) over the
/// HTTP client, each request signed with SigV4. It sends; what an answer means is the caller's (retries, errors).
public struct AWSJSONClient: Sendable {
    /// The service called.
    public let service: AWSService
    /// The operations' prefix (`DynamoDB_20120810`, `VerifiedPermissions`).
    public let targetPrefix: String
    let http: HTTPClient

    /// A client of `service`, whose operations are `targetPrefix.<Operation>`.
    public init(service: AWSService, targetPrefix: String, http: HTTPClient) {
        self.service = service
        self.targetPrefix = targetPrefix
        self.http = http
    }

    /// Posts `body` to `operation`, signed at the current time; the answer as it came.
    public func send(_ operation: String, body: [UInt8]) async throws -> HTTPClient.Response {
        let rest = service.endpoint.drop { $0 != "/" }.drop { $0 == "/" }
        let host = String(rest.prefix { $0 != "/" })
        let path = rest.drop { $0 != "/" }
        let own = ["content-type": "application/x-amz-json-1.0", "host": host, "x-amz-target": "\(targetPrefix).\(operation)"]
        let signer = SigV4(credentials: service.credentials, region: service.region, service: service.signingName)
        let signed = signer.sign(method: "POST", path: path.isEmpty ? "/" : SigV4.uriEncode(String(path), keepingSlash: true),
                                 headers: own, body: body, amzDate: SigV4.amzDate(Double(time(nil))))
        let headers = own.filter { $0.key != "host" }.map { ($0.key, $0.value) } + signed.map { ($0.key, $0.value) }
        return try await http.send("POST", service.endpoint + (path.isEmpty ? "/" : ""), headers: headers, body: body)
    }
}
