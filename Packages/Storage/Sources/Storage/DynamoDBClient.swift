import AWS
import TransportClient
import FoundationEssentials

/// DynamoDB's JSON protocol (`X-Amz-Target: DynamoDB_20120810.*`) over the HTTP client, signed with SigV4,
/// retrying throttling and 5xx with jittered exponential backoff, and mapping errors to `StorageError`.
struct DynamoDBClient: Sendable {
    let configuration: AWSConfiguration
    let http: HTTPClient
    var maxAttempts = 4

    /// Calls `operation` with a JSON `request`; returns the JSON response body.
    func call<Request: Encodable>(_ operation: String, _ request: Request) async throws -> [UInt8] {
        let body = Array(try JSONEncoder().encode(request))
        let client = AWSJSONClient(service: configuration.service, targetPrefix: "DynamoDB_20120810", http: http)
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPClient.Response
            do {
                response = try await client.send(operation, body: body)
            } catch {
                guard attempt < maxAttempts else { throw StorageError(.unavailable, "DynamoDB unreachable: \(error)") }
                try await backoff(attempt)
                continue
            }
            if response.status == 200 { return response.body }
            let failure = Self.failure(response)
            guard failure.retryable, attempt < maxAttempts else { throw failure.error }
            try await backoff(attempt)
        }
    }

    /// Full jitter: a random wait up to 50 ms × 2^attempt.
    private func backoff(_ attempt: Int) async throws {
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...(50 << attempt))))
    }

    /// What an error response means. DynamoDB answers JSON `{"__type": "…#Name", "message": …}` with 400; moto
    /// answers signature failures as XML with 403. Messages never echo credentials.
    static func failure(_ response: HTTPClient.Response) -> (error: StorageError, retryable: Bool) {
        struct Body: Decodable {
            var __type: String?
            var message: String?
            var Message: String?
            var CancellationReasons: [Reason]?
            struct Reason: Decodable { var Code: String? }
        }
        let decoded = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        let type = decoded?.__type.map { String($0.split(separator: "#").last ?? "") } ?? ""
        let text = String(decoding: response.body.prefix(2048), as: UTF8.self)
        // A transaction cancelled by a concurrent one on the same item (`TransactionConflict`) lost the same race a
        // failed condition reports: the other writer got there first.
        if type == "ConditionalCheckFailedException"
            || (type == "TransactionCanceledException"
                && decoded?.CancellationReasons?.contains { $0.Code == "ConditionalCheckFailed" || $0.Code == "TransactionConflict" } == true) {
            return (StorageError(.conditionalCheckFailed, "the conditional request failed"), false)
        }
        let authTypes: Set<String> = ["UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException",
                                      "MissingAuthenticationTokenException", "ExpiredTokenException", "IncompleteSignature"]
        if authTypes.contains(type) || response.status == 403
            || text.contains("<Code>InvalidSignature") || text.contains("<Code>SignatureDoesNotMatch") {
            return (StorageError(.accessDenied, "DynamoDB refused the credentials or signature (\(type.isEmpty ? "HTTP \(response.status)" : type))"),
                    false)
        }
        let throttled: Set<String> = ["ProvisionedThroughputExceededException", "ThrottlingException",
                                      "RequestLimitExceeded", "InternalServerError"]
        if throttled.contains(type) || response.status >= 500 {
            return (StorageError(.unavailable, "DynamoDB is busy (\(type.isEmpty ? "HTTP \(response.status)" : type))"), true)
        }
        if type == "ResourceNotFoundException" {
            return (StorageError(.unavailable, "DynamoDB table not found"), false)
        }
        let message = decoded?.message ?? decoded?.Message ?? "HTTP \(response.status)"
        return (StorageError(.invalidRequest, "DynamoDB \(type.isEmpty ? "error" : type): \(message.prefix(200))"), false)
    }

}
