public import Transport

/// A concurrent HTTP/1.1 server of `HTTPRequest`s over real sockets, on Transport's server core (one thread per
/// connection, keep-alive, bounded heads and bodies, a connection limit, an idle timeout, clean shutdown). Each
/// handler runs on its connection's thread. The local stack stands on it.
@_spi(Gatehouse) public final class HTTPServer: Sendable {
    /// Resource limits: larger heads get 431, larger bodies 413, connections over the limit 503.
    public typealias Limits = WireServer.Limits

    /// The bound port.
    public var port: UInt16 { server.port }
    private let server: WireServer

    /// Listens on `host:port` (0 picks a free port) and serves each request with `handler`.
    public init(host: String = "127.0.0.1", port: UInt16 = 0, limits: Limits = Limits(),
                handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) throws {
        server = try WireServer(host: host, port: port, limits: limits, answer: { problem in
            let response: HTTPResponse = switch problem {
            case .overloaded: .message(.serviceUnavailable, "Service Unavailable")
            case .unreadable(.tooLarge("body")): .message(.payloadTooLarge, "request body is larger than \(limits.maxBodyBytes) bytes")
            case .unreadable(.tooLarge): .message(HTTPStatus(rawValue: 431), "request header fields too large")
            case .unreadable(.malformed(let reason)): .message(.badRequest, reason)
            case .unreadable(.closed): .message(HTTPStatus(rawValue: 408), "request incomplete")
            case .unreadable(.unwritableHeader): .message(.badRequest, "malformed request")
            case .unwritable: .message(.internalServerError, "Internal Server Error")
            }
            return Self.wire(response)
        }, handler: { wire, peer in
            let request = Self.request(wire, peer: peer.address)
            let response = ThreadExecutor.run { await handler(request) }
            return .respond(Self.wire(response, head: wire.method == "HEAD"))
        })
    }

    /// Stops accepting and closes every connection; requests being handled lose their connection.
    public func shutdown() { server.shutdown() }

    /// Connections open now.
    public var openConnections: Int { server.openConnections }

    /// A wire request as an `HTTPRequest`.
    static func request(_ wire: WireRequest, peer: String?) -> HTTPRequest {
        let parts = wire.target.split(ascii: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var request = HTTPRequest(method: wire.method, path: String(parts[0]), headers: wire.headers.fields,
                                  query: parts.count > 1 ? parseQuery(parts[1]) : [:],
                                  cookies: HTTPRequest.cookies(in: wire.headers.fields), body: wire.body,
                                  requestID: newRequestID(), sourceIP: peer)
        request.invocationID = request.requestID
        return request
    }

    static func wire(_ response: HTTPResponse, head: Bool = false) -> WireResponse {
        var headers = WireHeaders()
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) { headers.add(name, value) }
        for cookie in response.cookies { headers.add("set-cookie", cookie) }
        return WireResponse(status: response.status.rawValue, headers: headers, body: head ? [] : response.body)
    }
}
