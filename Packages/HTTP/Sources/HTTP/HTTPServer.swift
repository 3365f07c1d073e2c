import Glibc
import HTTPWire
import Runtime
import Synchronization

/// A small concurrent HTTP/1.1 server over real sockets: one thread per connection, keep-alive, bounded header
/// and body sizes, a connection limit, an idle timeout that drops slow or stalled clients, and clean shutdown.
/// The local stack stands on it.
public final class HTTPServer: Sendable {
    /// Resource limits.
    public struct Limits: Sendable {
        /// Open connections at most; more are answered 503 and closed.
        public var maxConnections = 256
        /// Largest request head (request line and headers); larger gets 431.
        public var maxHeadBytes = 16 * 1024
        /// Largest request body; larger gets 413.
        public var maxBodyBytes = 6 * 1024 * 1024
        /// Seconds a connection may stay silent (mid-request or between requests) before it is closed.
        public var idleTimeoutSeconds = 10

        /// The defaults.
        public init() {}
    }

    /// The bound port.
    public let port: UInt16
    private let listener: Socket
    private let state = State()

    /// Open connections and the stop flag, shared with the connection threads.
    private final class State: Sendable {
        let connections = Mutex<[ObjectIdentifier: Socket]>([:])
        let stopped = Atomic<Bool>(false)
    }

    /// Listens on `host:port` (0 picks a free port) and serves each request with `handler`.
    public init(host: String = "127.0.0.1", port: UInt16 = 0, limits: Limits = Limits(),
                handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) throws {
        listener = try Socket.listen(host: host, port: port, backlog: 512)
        self.port = listener.localPort
        startThread { [listener, state] in
            while !state.stopped.load(ordering: .relaxed), let socket = try? listener.accept() {
                let admitted = state.connections.withLock { open in
                    guard open.count < limits.maxConnections else { return false }
                    open[ObjectIdentifier(socket)] = socket
                    return true
                }
                guard admitted else {
                    try? WireConnection(socket: socket).write(Self.wire(.message(HTTPStatus(rawValue: 503), "Service Unavailable"),
                                                                        close: true))
                    continue
                }
                startThread {
                    defer { _ = state.connections.withLock { $0.removeValue(forKey: ObjectIdentifier(socket)) } }
                    Self.serve(socket, limits: limits, handler: handler)
                }
            }
        }
    }

    /// Stops accepting and closes every connection; requests being handled lose their connection.
    public func shutdown() {
        state.stopped.store(true, ordering: .relaxed)
        listener.shutdown()
        state.connections.withLock { $0.values.forEach { $0.shutdown() } }
    }

    /// Connections open now.
    public var openConnections: Int { state.connections.withLock { $0.count } }

    private static func serve(_ socket: Socket, limits: Limits, handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        socket.setReadTimeout(seconds: limits.idleTimeoutSeconds)
        let connection = WireConnection(socket: socket, maxHeadBytes: limits.maxHeadBytes, maxBodyBytes: limits.maxBodyBytes)
        let peer = peerAddress(socket.fd)
        while true {
            let wire: WireRequest
            do {
                guard let next = try connection.readRequest(onExpectContinue: {
                    try connection.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }) else { return }
                wire = next
            } catch let error as WireError {
                let response: HTTPResponse = switch error {
                case .tooLarge("body"): .message(.payloadTooLarge, "request body is larger than \(limits.maxBodyBytes) bytes")
                case .tooLarge: .message(HTTPStatus(rawValue: 431), "request header fields too large")
                case .malformed(let reason): .message(.badRequest, reason)
                case .unwritableHeader: .message(.badRequest, "malformed request")
                case .closed: .message(HTTPStatus(rawValue: 408), "request incomplete")
                }
                try? connection.write(Self.wire(response, close: true))
                return
            } catch {
                return  // timeout or reset: drop the connection
            }
            let keepAlive = wire.headers["connection"]?.lowercased() != "close"
            let request = Self.request(wire, peer: peer)
            let response = ThreadExecutor.run { await handler(request) }
            do {
                try connection.write(Self.wire(response, close: !keepAlive, head: wire.method == "HEAD"))
            } catch WireError.unwritableHeader {
                // A header would have split the response: answer 500 instead and close, never a forged message.
                try? connection.write(Self.wire(.message(.internalServerError, "Internal Server Error"), close: true))
                return
            } catch {
                return
            }
            guard keepAlive else { return }
        }
    }

    /// A wire request as an `HTTPRequest`.
    static func request(_ wire: WireRequest, peer: String?) -> HTTPRequest {
        let parts = wire.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var cookies: [String] = []
        for field in wire.headers.fields where field.name.lowercased() == "cookie" {
            cookies += field.value.split(separator: ";").map { $0.trimming(" ") }
        }
        var request = HTTPRequest(method: wire.method, path: String(parts[0]), headers: wire.headers.fields,
                                  query: parts.count > 1 ? parseQuery(parts[1]) : [:], cookies: cookies, body: wire.body,
                                  requestID: newRequestID(), sourceIP: peer)
        request.invocationID = request.requestID
        return request
    }

    static func wire(_ response: HTTPResponse, close: Bool, head: Bool = false) -> WireResponse {
        var headers = WireHeaders()
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) { headers.add(name, value) }
        for cookie in response.cookies { headers.add("set-cookie", cookie) }
        if close { headers.add("connection", "close") }
        return WireResponse(status: response.status.rawValue, headers: headers, body: head ? [] : response.body)
    }

    private static func peerAddress(_ fd: Int32) -> String? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        guard status == 0 else { return nil }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
