import Transport

/// The Lambda Runtime API (`2018-06-01`) as seen from inside a function: one persistent connection.
final class RuntimeAPIClient: @unchecked Sendable {
    /// What the Runtime API hands out for one invocation.
    struct Invocation {
        var headers: WireHeaders
        var event: [UInt8]
    }

    /// The Runtime API answered in a way that means the runtime must stop.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let host: String
    private let port: UInt16
    private let authority: String
    /// The `/next` poll: the same request for every invocation.
    private let nextRequest: WireRequest
    private var connection: WireConnection?

    /// `endpoint` is `AWS_LAMBDA_RUNTIME_API`: `host:port`.
    init(endpoint: String) throws {
        guard let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...])
        else { throw Failure(description: "AWS_LAMBDA_RUNTIME_API must be host:port, got \"\(endpoint)\"") }
        self.host = String(endpoint[..<colon])
        self.port = port
        authority = endpoint
        nextRequest = Self.request("GET", "/2018-06-01/runtime/invocation/next", authority: endpoint)
    }

    /// What the function made of one invocation.
    enum Outcome {
        case response([UInt8])
        case error(ErrorReport)
    }

    /// Long-polls for the next event.
    func next() throws -> Invocation {
        try Self.invocation(from: exchange([nextRequest]).last!)
    }

    /// Posts the `outcome` of invocation `requestID` and asks for the next event in the same write (HTTP/1.1
    /// pipelining; the Runtime API answers in order): one write and one wait per invocation instead of two. A result
    /// the Runtime API refuses (4xx, such as a response over the payload limit) is returned beside the next event;
    /// a 5xx means the sandbox is broken, and throws.
    func complete(requestID: String, _ outcome: Outcome) throws -> (refused: RejectedResult?, next: Invocation) {
        let path = "/2018-06-01/runtime/invocation/\(requestID)/" + (outcome.isError ? "error" : "response")
        let answers = try exchange([post(path, outcome), nextRequest])
        let refused = try Self.check(answers[0], path)
        // A refusal that closed the connection dropped the poll sent behind it: poll again.
        return (refused, answers.count == 2 ? try Self.invocation(from: answers[1]) : try next())
    }

    func reportInitError(_ report: ErrorReport) throws {
        let path = "/2018-06-01/runtime/init/error"
        _ = try Self.check(try exchange([post(path, .error(report))]).last!, path)
    }

    private func post(_ path: String, _ outcome: Outcome) -> WireRequest {
        switch outcome {
        case .response(let body):
            return Self.request("POST", path, authority: authority, body: body)
        case .error(let report):
            return Self.request("POST", path, authority: authority, body: report.json,
                                headers: [("Lambda-Runtime-Function-Error-Type", report.errorType)])
        }
    }

    private static func request(_ method: String, _ path: String, authority: String, body: [UInt8] = [],
                                headers: [(String, String)] = []) -> WireRequest {
        WireRequest(method: method, target: path,
                    headers: WireHeaders([("Host", authority), ("User-Agent", "gatehouse-runtime/1")] + headers), body: body)
    }

    private static func invocation(from response: WireResponse) throws -> Invocation {
        guard response.status == 200 else { throw Failure(description: "Runtime API /next answered \(response.status)") }
        return Invocation(headers: response.headers, event: response.body)
    }

    /// A 5xx means the runtime must stop (thrown); a 3xx or 4xx is the Runtime API refusing this one result.
    private static func check(_ response: WireResponse, _ path: String) throws -> RejectedResult? {
        if response.status >= 500 { throw Failure(description: "Runtime API \(path) answered \(response.status)") }
        guard response.status >= 300 else { return nil }
        return RejectedResult(status: response.status, body: String(decoding: response.body.prefix(512), as: UTF8.self))
    }

    /// Writes `requests` at once and reads their answers in order, on the open connection or a new one; an answer
    /// that closes the connection is the last (the server read nothing after it).
    private func exchange(_ requests: [WireRequest]) throws -> [WireResponse] {
        let connection = try self.connection ?? WireConnection(socket: Socket.connect(host: host, port: port))
        self.connection = connection
        do {
            try connection.write(requests)
            var answers: [WireResponse] = []
            for _ in requests {
                // A server with Nagle's algorithm on holds the second answer until the first is acknowledged.
                if !answers.isEmpty, !connection.hasBufferedBytes { (connection.stream as? Socket)?.acknowledgeNow() }
                let answer = try connection.readResponse()
                answers.append(answer)
                if answer.headers["connection"]?.lowercased() == "close" {
                    self.connection = nil
                    break
                }
            }
            return answers
        } catch {
            self.connection = nil
            throw error
        }
    }
}

extension RuntimeAPIClient.Outcome {
    var isError: Bool { if case .error = self { true } else { false } }
}

/// The Runtime API refused one posted result (a 4xx, such as a payload over the limit).
struct RejectedResult: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "Runtime API refused the result with \(status): \(body)" }
}
