import Transport
import Synchronization

/// A small HTTP/1.1 client: `http` and `https` (OpenSSL, certificates and host names verified against the system
/// store), timeouts on connect, reads and writes, no redirects followed, and a cap on response size.
public struct HTTPClient: Sendable {
    /// Client settings.
    public struct Options: Sendable {
        /// Seconds each of connect, read and write may take.
        public var timeoutSeconds = 5
        /// Largest accepted response body.
        public var maxResponseBytes = 1024 * 1024
        /// Trust only this CA file (PEM) instead of the system store; for tests and private CAs.
        public var trustedCAFile: String?

        /// The defaults.
        public init() {}
    }

    /// A response.
    public struct Response: Sendable {
        /// The status code (3xx is returned as is: redirects are never followed).
        public let status: Int
        /// Header fields.
        public let headers: [(name: String, value: String)]
        /// The body.
        public let body: [UInt8]

        /// A response.
        public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// The first value of header `name`, compared case-insensitively.
        public func header(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.first { $0.name.lowercased() == wanted }?.value
        }
    }

    /// Why a request failed before a response arrived.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// One line.
        public let description: String

        /// A failure saying `description`.
        public init(description: String) { self.description = description }
    }

    private let options: Options
    private let tls: LazyTLSContext

    /// A client. TLS is set up on the first `https` request, so a function that never makes one (or not during
    /// init) pays nothing for OpenSSL's start-up at cold start.
    public init(options: Options = Options()) throws {
        self.options = options
        self.tls = LazyTLSContext(caFile: options.trustedCAFile)
    }

    /// Sends one request on a new connection; blocking work runs on its own thread, not the shared pool.
    public func send(_ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws
        -> Response
    {
        let target = try Target(url)
        let options = options, tls = tls
        return try await withCheckedThrowingContinuation { continuation in
            startThread {
                do {
                    continuation.resume(returning: try Self.exchange(method, target, headers, body, options, tls))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// `GET url`.
    public func get(_ url: String, headers: [(String, String)] = []) async throws -> Response {
        try await send("GET", url, headers: headers)
    }

    private static func exchange(_ method: String, _ target: Target, _ headers: [(String, String)], _ body: [UInt8],
                                 _ options: Options, _ tls: LazyTLSContext) throws -> Response {
        let socket: Socket
        do {
            socket = try Socket.connect(host: target.host, port: target.port, timeoutSeconds: options.timeoutSeconds)
        } catch {
            throw Failure(description: "cannot connect to \(target.host):\(target.port): \(error)")
        }
        let stream: any ByteStream
        do {
            stream = target.secure ? try TLSStream(socket: socket, host: target.host, context: tls.context()) : socket
        } catch {
            throw Failure(description: "\(error)")
        }
        let connection = WireConnection(stream: stream, maxBodyBytes: options.maxResponseBytes)
        var fields = WireHeaders([("Host", target.hostHeader), ("Connection", "close"), ("User-Agent", "gatehouse/1")])
        for (name, value) in headers { fields.add(name, value) }
        do {
            try connection.write(WireRequest(method: method, target: target.path, headers: fields, body: body))
            let response = try connection.readResponse()
            return Response(status: response.status, headers: response.headers.fields, body: response.body)
        } catch let error as WireError {
            throw Failure(description: "bad response from \(target.host): \(error)")
        } catch {
            throw Failure(description: "no response from \(target.host): \(error)")
        }
    }

    /// The parts of an `http(s)://host[:port]/path?query` URL.
    public struct Target: Sendable {
        /// `https`.
        public let secure: Bool
        /// The host, without brackets for IPv6.
        public let host: String
        /// The port, explicit or the scheme's.
        public let port: UInt16
        /// The path and query.
        public let path: String

        var hostHeader: String { (secure && port == 443) || (!secure && port == 80) ? host : "\(host):\(port)" }

        /// Parses `url`; throws for another scheme, a bad port or a host with user information.
        public init(_ url: String) throws {
            let secure = url.hasPrefix("https://")
            guard secure || url.hasPrefix("http://") else { throw Failure(description: "only http and https URLs are supported") }
            let rest = url.dropFirst(secure ? 8 : 7)
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var host = Substring(authority), port: UInt16 = secure ? 443 : 80
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
                guard let parsed = UInt16(authority[authority.index(after: colon)...]) else {
                    throw Failure(description: "invalid port in \(url)")
                }
                host = authority[..<colon]
                port = parsed
            }
            guard !host.isEmpty, !host.contains("@") else { throw Failure(description: "invalid host in URL") }
            self.secure = secure
            self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : String(host)
            self.port = port
            let path = String(rest[authorityEnd...])
            self.path = path.hasPrefix("/") ? path : "/" + path
        }
    }
}

/// A TLS context made on first use and then shared.
final class LazyTLSContext: Sendable {
    private let caFile: String?
    private let made = Mutex<TLSContext?>(nil)

    init(caFile: String?) {
        self.caFile = caFile
    }

    func context() throws -> TLSContext {
        try made.withLock { made in
            if let made { return made }
            let context = try TLSContext(caFile: caFile)
            made = context
            return context
        }
    }
}
