import Glibc

/// A served connection's socket, read against a deadline instead of a per-read timeout (a per-read timeout restarts
/// with every byte, so a peer sending one byte at a time holds its connection for ever): a request's head must be
/// whole within `headSeconds` of being awaited, and its body must then arrive at `minBodyBytesPerSecond` or faster,
/// after a grace of `headSeconds`. A read past the deadline throws `PacedStream.TooSlow`.
final class PacedStream: ByteStream, @unchecked Sendable {
    /// The deadline passed: the peer was too slow.
    struct TooSlow: Error {}

    private let socket: Socket
    private let headNanoseconds: UInt64
    private let minBodyBytesPerSecond: Int
    private var deadline: UInt64 = .max
    /// When the body began, and how many of its bytes came since; nil while a head is awaited.
    private var body: (start: UInt64, bytes: Int)?

    init(socket: Socket, headSeconds: Int, minBodyBytesPerSecond: Int) {
        self.socket = socket
        headNanoseconds = UInt64(headSeconds) * 1_000_000_000
        self.minBodyBytesPerSecond = max(1, minBodyBytesPerSecond)
    }

    /// The next request is awaited from now: its head has `headSeconds`.
    func awaitHead() {
        body = nil
        deadline = monotonicNanoseconds() + headNanoseconds
    }

    /// The head is read; the body's bytes earn their time from now.
    func beginBody() {
        let now = monotonicNanoseconds()
        body = (now, 0)
        deadline = now + headNanoseconds
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let now = monotonicNanoseconds()
        guard now < deadline else { throw TooSlow() }
        let remaining = deadline - now
        var timeout = timeval(tv_sec: Int(remaining / 1_000_000_000), tv_usec: Int(remaining % 1_000_000_000 / 1000) + 1)
        setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let count = try socket.read(into: buffer)
        if let (start, bytes) = body {
            let earned = UInt64(bytes + count) * 1_000_000_000 / UInt64(minBodyBytesPerSecond)
            body = (start, bytes + count)
            deadline = start + headNanoseconds + earned
        }
        return count
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws { try socket.write(bytes) }
}
