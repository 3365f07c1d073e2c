/// A connection's answer its handler holds back (`WireServer.Reply.later`) and another thread sends when it has it:
/// a Runtime API `/next` poll answered by the invocation's own thread, so no server thread has to wake to relay it.
/// The connection reads on meanwhile but writes nothing else until that answer is sent or given up.
public final class LaterResponse: @unchecked Sendable {
    private let lock = ConditionLock()
    private let connection: WireConnection
    private let socket: Socket
    private var pending = false
    private var ended = false

    init(connection: WireConnection, socket: Socket) {
        self.connection = connection
        self.socket = socket
    }

    /// Sends the held answer; false when none is held or the connection ended (nothing was sent).
    public func send(_ response: WireResponse) -> Bool {
        lock.withLock {
            guard pending, !ended else { return false }
            defer { lock.broadcast() }
            pending = false
            do {
                try connection.write(response)
                return true
            } catch {
                ended = true
                return false
            }
        }
    }

    /// Gives the held answer up and closes the connection (the server is stopping).
    public func abandon() {
        end()
        socket.shutdown()
    }

    /// Marks an answer as held; its handler then replies `.later`.
    func hold() { lock.withLock { pending = true } }

    /// Blocks until no answer is held; false when the connection ended first.
    func waitUntilSent() -> Bool {
        lock.withLock {
            lock.wait { !pending || ended }
            return !ended
        }
    }

    /// The connection's serving ended: a held answer can no longer be sent.
    func end() {
        lock.withLock {
            ended = true
            lock.broadcast()
        }
    }
}
