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
    private var connection: WireConnection?

    /// `endpoint` is `AWS_LAMBDA_RUNTIME_API`: `host:port`.
    init(endpoint: String) throws {
        guard let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...])
        else { throw Failure(description: "AWS_LAMBDA_RUNTIME_API must be host:port, got \"\(endpoint)\"") }
        self.host = String(endpoint[..<colon])
        self.port = port
    }

    /// Long-polls for the next event.
    func next() throws -> Invocation {
        let response = try send("GET", "/2018-06-01/runtime/invocation/next", body: [])
        guard response.status == 200 else {
            throw Failure(description: "Runtime API /next answered \(response.status)")
        }
        return Invocation(headers: response.headers, event: response.body)
    }

    func respond(requestID: String, body: [UInt8]) throws {
        try post("/2018-06-01/runtime/invocation/\(requestID)/response", body: body)
    }

    func reportError(requestID: String, _ report: ErrorReport) throws {
        try post("/2018-06-01/runtime/invocation/\(requestID)/error", body: report.json, errorType: report.errorType)
    }

    func reportInitError(_ report: ErrorReport) throws {
        try post("/2018-06-01/runtime/init/error", body: report.json, errorType: report.errorType)
    }

    /// Posts a result. A 5xx means the sandbox is broken and the runtime must exit; 4xx (such as a response
    /// over the payload limit) is the Runtime API refusing this one result, which the caller logs and survives.
    private func post(_ path: String, body: [UInt8], errorType: String? = nil) throws {
        var headers = WireHeaders()
        if let errorType { headers.add("Lambda-Runtime-Function-Error-Type", errorType) }
        let response = try send("POST", path, body: body, headers: headers)
        if response.status >= 500 {
            throw Failure(description: "Runtime API \(path) answered \(response.status)")
        }
        if response.status >= 300 {
            throw RejectedResult(status: response.status, body: String(decoding: response.body.prefix(512), as: UTF8.self))
        }
    }

    private func send(_ method: String, _ path: String, body: [UInt8], headers: WireHeaders = WireHeaders()) throws
        -> WireResponse
    {
        var headers = headers
        headers.add("Host", "\(host):\(port)")
        headers.add("User-Agent", "gatehouse-runtime/1")
        let request = WireRequest(method: method, target: path, headers: headers, body: body)
        let connection = try self.connection ?? WireConnection(socket: Socket.connect(host: host, port: port))
        self.connection = connection
        do {
            try connection.write(request)
            return try connection.readResponse()
        } catch {
            self.connection = nil
            throw error
        }
    }
}

/// The Runtime API refused one posted result (a 4xx, such as a payload over the limit).
struct RejectedResult: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "Runtime API refused the result with \(status): \(body)" }
}
