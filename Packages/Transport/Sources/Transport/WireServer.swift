import Glibc
import Synchronization

/// The one HTTP/1.1 server core: an accept loop, one thread per connection (handlers may block), keep-alive, bounded
/// heads and bodies, a connection limit, an optional idle timeout and clean shutdown. The local stack's gateway and
/// its Runtime API servers both stand on it; each says how it answers problems and requests.
public final class WireServer: Sendable {
    /// Resource limits.
    public struct Limits: Sendable {
        /// Open connections at most; more are answered with `.overloaded` and closed.
        public var maxConnections = 256
        /// Open connections from one peer address at most, so that one peer cannot take every slot.
        public var maxConnectionsPerPeer = 128
        /// Largest request head (request line and headers).
        public var maxHeadBytes = 16 * 1024
        /// Largest request body.
        public var maxBodyBytes = 6 * 1024 * 1024
        /// Seconds a request's head may take, from when it is awaited (an idle keep-alive connection waits for it
        /// too) to its last byte, however slowly it trickles in; nil waits for ever (and sets no body rate).
        public var headTimeoutSeconds: Int? = 10
        /// The slowest a body may arrive, on average after a grace of `headTimeoutSeconds`.
        public var minBodyBytesPerSecond = 1024

        /// The defaults.
        public init() {}
    }

    /// Something the server answers itself, before or instead of the handler.
    public enum Problem: Sendable, Equatable {
        /// Over the connection limit.
        case overloaded
        /// The request could not be read (malformed, too large, cut short).
        case unreadable(WireError)
        /// The handler's response holds a header that cannot be written (it would split the response).
        case unwritable
    }

    /// Who is at the other end of a connection.
    public struct Peer: Sendable {
        /// The connection's socket.
        public let socket: Socket
        /// The peer's numeric address.
        public let address: String?
        fileprivate let paced: PacedStream?
        fileprivate let later: LaterResponse

        /// Holds this request's answer back, for another thread to send; the handler then replies `.later`.
        public func holdResponse() -> LaterResponse {
            later.hold()
            return later
        }
    }

    /// What the handler does with a request.
    public enum Reply: Sendable {
        /// Send this answer now.
        case respond(WireResponse)
        /// Close the connection without an answer.
        case close
        /// The answer is held (`Peer.holdResponse()`) and sent from elsewhere; read the next request meanwhile.
        case later
    }

    /// The bound port.
    public let port: UInt16
    private let listener: Socket
    private let state = State()

    private final class State: Sendable {
        let connections = Mutex<Connections>(Connections())
        let stopped = Atomic<Bool>(false)
    }

    /// The open connections, and how many each peer address holds.
    private struct Connections {
        var sockets: [ObjectIdentifier: Socket] = [:]
        var perPeer: [String: Int] = [:]

        /// Counts `socket` in, unless a limit is reached.
        mutating func admit(_ socket: Socket, from address: String, limits: Limits) -> Bool {
            guard sockets.count < limits.maxConnections, perPeer[address, default: 0] < limits.maxConnectionsPerPeer
            else { return false }
            sockets[ObjectIdentifier(socket)] = socket
            perPeer[address, default: 0] += 1
            return true
        }

        mutating func remove(_ socket: Socket, from address: String) {
            sockets[ObjectIdentifier(socket)] = nil
            perPeer[address, default: 1] -= 1
            if perPeer[address] == 0 { perPeer[address] = nil }
        }
    }

    /// Listens on `host:port` (0 picks a free port). `admit` may refuse a connection with a response before any
    /// request is read; `answer` says what to send for each `Problem`; `handler` replies to each request: an answer,
    /// closing the connection, or an answer held for another thread to send (`Reply`).
    public init(host: String = "127.0.0.1", port: UInt16 = 0, limits: Limits = Limits(),
                admit: @escaping @Sendable (Peer) -> WireResponse? = { _ in nil },
                answer: @escaping @Sendable (Problem) -> WireResponse,
                handler: @escaping @Sendable (WireRequest, Peer) -> Reply) throws {
        listener = try Socket.listen(host: host, port: port, backlog: 512)
        self.port = listener.localPort
        startThread { [listener, state] in
            while !state.stopped.load(ordering: .relaxed), let socket = try? listener.accept() {
                let address = socket.peerAddress
                let admitted = state.connections.withLock { $0.admit(socket, from: address ?? "", limits: limits) }
                guard admitted else {
                    try? WireConnection(socket: socket).write(Self.closing(answer(.overloaded)))
                    continue
                }
                startThread {
                    defer { state.connections.withLock { $0.remove(socket, from: address ?? "") } }
                    let paced = limits.headTimeoutSeconds.map {
                        PacedStream(socket: socket, headSeconds: $0, minBodyBytesPerSecond: limits.minBodyBytesPerSecond)
                    }
                    let connection = WireConnection(stream: paced ?? socket, maxHeadBytes: limits.maxHeadBytes,
                                                    maxBodyBytes: limits.maxBodyBytes)
                    let peer = Peer(socket: socket, address: address, paced: paced,
                                    later: LaterResponse(connection: connection, socket: socket))
                    if let refusal = admit(peer) {
                        try? connection.write(Self.closing(refusal))
                        return
                    }
                    Self.serve(peer, connection, limits: limits, answer: answer, handler: handler)
                }
            }
        }
    }

    /// Stops accepting and closes every connection; requests being handled lose their connection.
    public func shutdown() {
        state.stopped.store(true, ordering: .relaxed)
        listener.shutdown()
        state.connections.withLock { $0.sockets.values.forEach { $0.shutdown() } }
    }

    /// Connections open now.
    public var openConnections: Int { state.connections.withLock { $0.sockets.count } }

    private static func serve(_ peer: Peer, _ connection: WireConnection, limits: Limits,
                              answer: @Sendable (Problem) -> WireResponse, handler: @Sendable (WireRequest, Peer) -> Reply) {
        defer { peer.later.end() }
        while true {
            let request: WireRequest
            do {
                peer.paced?.awaitHead()
                guard let next = try connection.readRequest(afterHead: { peer.paced?.beginBody() }, onExpectContinue: {
                    try connection.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }) else { return }
                request = next
            } catch let error as WireError {
                peer.later.end()  // a held answer would come after this one: it is given up
                try? connection.write(closing(answer(.unreadable(error))))
                return
            } catch {
                return  // too slow, or reset: drop the connection
            }
            // Answers go out in request order: a request behind a held answer is handled once that one is sent.
            guard peer.later.waitUntilSent() else { return }
            var response: WireResponse
            switch handler(request, peer) {
            case .respond(let answer): response = answer
            case .close: return
            case .later: continue
            }
            let keepAlive = request.headers["connection"]?.lowercased() != "close"
                && response.headers["connection"]?.lowercased() != "close"
            if !keepAlive { response = closing(response) }
            do {
                try connection.write(response)
            } catch WireError.unwritableHeader {
                // Never a forged message: the whole response is replaced, and the connection closed.
                try? connection.write(closing(answer(.unwritable)))
                return
            } catch {
                return
            }
            guard keepAlive else { return }
        }
    }

    private static func closing(_ response: WireResponse) -> WireResponse {
        var response = response
        if response.headers["connection"] == nil { response.headers.add("connection", "close") }
        return response
    }
}
