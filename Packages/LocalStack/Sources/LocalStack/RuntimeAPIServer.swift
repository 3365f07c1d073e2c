import FoundationEssentials
import Runtime
import Transport

/// The Lambda Runtime API, served in-process over real HTTP on loopback: what a function's runtime talks to on
/// Lambda, for tests and the local stack. Point a function at it with `AWS_LAMBDA_RUNTIME_API=\(endpoint)`.
///
/// Like a Lambda sandbox, it serves one function process: connections wait until `admit(processID:)` names it, and
/// a connection from any other process is refused (403), so no other local process can read events or answer them.
public final class RuntimeAPIServer: Sendable {
    /// Why an invocation could not be served.
    public enum Failure: Error, Sendable, Equatable {
        /// The function reported an init error; no invocation will ever be served.
        case initFailed(FunctionError)
        /// The server was shut down.
        case stopped
    }

    /// `127.0.0.1:PORT`, the value for `AWS_LAMBDA_RUNTIME_API`.
    public let endpoint: String
    private let server: WireServer
    private let broker = InvocationBroker(nextResponse: RuntimeAPIServer.nextResponse)
    private let admitted = AdmittedProcess()

    /// Payload limit of a synchronous invocation's response, as Lambda's.
    static let maxResponseBytes = 6 * 1024 * 1024

    /// Listens on `127.0.0.1:port` (0 picks a free port) and starts serving.
    public init(port: UInt16 = 0) throws {
        var limits = WireServer.Limits()
        limits.maxBodyBytes = Self.maxResponseBytes
        limits.headTimeoutSeconds = nil  // a function is silent for as long as its invocation runs
        limits.maxConnections = 16
        let broker = broker, admitted = admitted
        server = try WireServer(host: "127.0.0.1", port: port, limits: limits, admit: { peer in
            guard let pid = admitted.wait(), LoopbackPeer.isOwned(by: pid, peer.socket) else {
                return Self.errorResponse(403, "AccessDenied", "only the function process this server runs may call it")
            }
            return nil
        }, answer: { problem in
            switch problem {
            case .overloaded: Self.errorResponse(503, "ServiceUnavailable", "too many connections")
            case .unreadable(.tooLarge(let what)): Self.errorResponse(413, "RequestTooLarge", "\(what) too large")
            case .unreadable(let error): Self.errorResponse(400, "InvalidRequest", "\(error)")
            case .unwritable: Self.errorResponse(500, "ServiceException", "unwritable response")
            }
        }, handler: { request, peer in Self.respond(to: request, from: peer, broker: broker) })
        endpoint = "127.0.0.1:\(server.port)"
    }

    /// The one process whose connections are served: the function started with this server's endpoint (or this
    /// process, for a runtime loop running in-process).
    public func admit(processID: Int32) {
        admitted.set(processID)
    }

    deinit { shutdown() }

    /// Hands `request` to the next `/next` poll and waits for the function's answer or the deadline.
    public func invoke(_ request: InvocationRequest) async throws -> InvocationOutcome {
        try await broker.invoke(request)
    }

    /// Returns once a runtime is waiting in `/next` (the end of a cold start), or throws if init failed.
    public func waitUntilPolling() async throws {
        try await broker.waitUntilPolling()
    }

    /// Stops accepting, closes every connection and fails every waiting invocation with `.stopped`.
    public func shutdown() {
        server.shutdown()
        broker.stop()
        admitted.close()
    }

    // MARK: - Protocol

    /// What to do with one Runtime API call: a `/next` with no invocation yet is answered later, by `invoke`.
    private static func respond(to request: WireRequest, from peer: WireServer.Peer, broker: InvocationBroker)
        -> WireServer.Reply
    {
        let path = request.target.split(ascii: "?", maxSplits: 1).first.map(String.init) ?? request.target
        let prefix = "/2018-06-01/runtime/"
        guard path.hasPrefix(prefix) else { return .respond(errorResponse(404, "NotFound", "unknown path")) }
        let parts = path.dropFirst(prefix.count).split(ascii: "/", omittingEmptySubsequences: false).map(String.init)
        switch (request.method, parts.count, parts.first) {
        case ("GET", 2, "invocation") where parts[1] == "next":
            switch broker.poll(from: peer) {
            case .invocation(let invocation, let deadline): return .respond(nextResponse(invocation, deadline: deadline))
            case .waiting: return .later
            case .stopped: return .close
            }
        case ("POST", 3, "invocation") where parts[2] == "response":
            return .respond(complete(parts[1], .response(request.body), broker: broker))
        case ("POST", 3, "invocation") where parts[2] == "error":
            return .respond(complete(parts[1], .error(functionError(request)), broker: broker))
        case ("POST", 2, "init") where parts[1] == "error":
            broker.failInit(functionError(request))
            return .respond(accepted())
        default:
            return .respond(errorResponse(404, "NotFound", "unknown path"))
        }
    }

    @Sendable private static func nextResponse(_ invocation: InvocationRequest, deadline: Int64) -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestID)
        headers.add("Lambda-Runtime-Deadline-Ms", String(deadline))
        headers.add("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedFunctionARN)
        headers.add("Lambda-Runtime-Trace-Id", invocation.traceID ?? newTraceID(nowMilliseconds: wallClockMilliseconds()))
        if let clientContext = invocation.clientContext { headers.add("Lambda-Runtime-Client-Context", clientContext) }
        if let cognito = invocation.cognitoIdentity { headers.add("Lambda-Runtime-Cognito-Identity", cognito) }
        return WireResponse(status: 200, headers: headers, body: invocation.event)
    }

    private static func complete(_ requestID: String, _ outcome: InvocationOutcome, broker: InvocationBroker)
        -> WireResponse
    {
        guard broker.complete(requestID, outcome) else {
            return errorResponse(400, "InvalidRequestID", "no invocation \(requestID) is waiting for a result")
        }
        return accepted()
    }

    private static func functionError(_ request: WireRequest) -> FunctionError {
        struct Document: Decodable {
            var errorType: String?
            var errorMessage: String?
        }
        let document = try? JSONDecoder().decode(Document.self, from: Data(request.body))
        return FunctionError(
            type: document?.errorType ?? request.headers["lambda-runtime-function-error-type"] ?? "Unhandled",
            message: document?.errorMessage ?? String(decoding: request.body.prefix(4096), as: UTF8.self)
        )
    }

    private static func accepted() -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        return WireResponse(status: 202, headers: headers, body: Array(#"{"status":"OK"}"#.utf8))
    }

    private static func errorResponse(_ status: Int, _ type: String, _ message: String) -> WireResponse {
        var headers = WireHeaders()
        headers.add("Content-Type", "application/json")
        return WireResponse(status: status, headers: headers, body: LambdaError(type: type, message: message).document)
    }
}

/// The admitted process id, waited for by connections that arrive before it is known.
private final class AdmittedProcess: @unchecked Sendable {
    private let lock = ConditionLock()
    private var pid: Int32?
    private var closed = false

    func set(_ pid: Int32) { lock.withLock { self.pid = pid; lock.broadcast() } }
    func close() { lock.withLock { closed = true; lock.broadcast() } }

    /// The admitted pid, once known; nil when the server stopped or 10 s passed without one.
    func wait() -> Int32? {
        let deadline = wallClockMilliseconds() + 10_000
        return lock.withLock {
            while pid == nil && !closed && wallClockMilliseconds() < deadline { lock.wait(untilMilliseconds: deadline) }
            return closed ? nil : pid
        }
    }
}
