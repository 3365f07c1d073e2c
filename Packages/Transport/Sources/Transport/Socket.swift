import Glibc

/// A failure of a POSIX socket call, carrying the call's name and `errno`.
public struct SocketError: Error, CustomStringConvertible {
    /// The failed call.
    public let call: String
    /// `errno`.
    public let code: Int32

    /// An error of `call` with `code` (the current `errno` by default).
    public init(_ call: String, code: Int32? = nil) {
        self.call = call
        self.code = code ?? errno
    }

    public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}

/// An owned TCP socket descriptor; closed when released. Every socket is close-on-exec, so child processes (function
/// executables, peers started by tests) never keep a connection open behind its owner's back.
public final class Socket: @unchecked Sendable {
    /// The descriptor.
    public let fd: Int32

    /// Takes ownership of `fd` and turns off Nagle's algorithm.
    public init(fd: Int32) {
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Connects to `host:port` (a name resolved through the system resolver, or a numeric IPv4/IPv6 address),
    /// trying each address in turn. With `timeoutSeconds`, connecting, reads and writes each give up after it.
    public static func connect(host: String, port: UInt16, timeoutSeconds: Int? = nil) throws -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw SocketError("resolve \(host)", code: EHOSTUNREACH)
        }
        defer { freeaddrinfo(first) }
        var lastError = SocketError("connect \(host)", code: ECONNREFUSED)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let candidate = entry {
            entry = candidate.pointee.ai_next
            let fd = socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue),
                            candidate.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            let socket = Socket(fd: fd)
            if let timeoutSeconds { socket.setTimeouts(seconds: timeoutSeconds) }
            if Glibc.connect(fd, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 { return socket }
            lastError = SocketError("connect \(host)")
        }
        throw lastError
    }

    /// Opens a listening socket on `host:port`; port 0 picks a free port.
    public static func listen(host: String, port: UInt16, backlog: Int32 = 128) throws -> Socket {
        var address = try socketAddress(host: host, port: port)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            let error = SocketError("bind/listen")
            close(fd)
            throw error
        }
        return Socket(fd: fd)
    }

    /// The local port this socket is bound to.
    public var localPort: UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Waits for the next connection; throws once the socket is shut down.
    public func accept() throws -> Socket {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // accept4 is not exported to Swift; the window is tiny
                return Socket(fd: client)
            }
            if errno != EINTR { throw SocketError("accept") }
        }
    }

    /// Reads up to `count` bytes; 0 means the peer closed.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw SocketError("read") }
        }
    }

    /// Writes every byte, retrying partial writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                throw SocketError("send")
            }
            offset += n
        }
    }

    /// Writes every byte of `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Acknowledges what was received now instead of after the delayed-ACK timer (TCP_QUICKACK): a peer that still
    /// uses Nagle's algorithm holds a second small answer until the first is acknowledged, up to 40 ms.
    public func acknowledgeNow() {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_QUICKACK, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Makes a read wait until at least `bytes` are there (SO_RCVLOWAT; 1 is the default), or the peer closes.
    public func setReceiveLowWater(_ bytes: Int) {
        var count = Int32(clamping: bytes)
        setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &count, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sets the receive timeout; reads then fail with `EAGAIN` after `seconds`.
    public func setReadTimeout(seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sets both the receive and the send timeout (the send timeout also bounds `connect`).
    public func setTimeouts(seconds: Int) {
        setReadTimeout(seconds: seconds)
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The peer's numeric address (`127.0.0.1`), when connected.
    public var peerAddress: String? {
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

    /// Stops both directions, waking any thread blocked in `accept` or `read`.
    public func shutdown() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    private static func socketAddress(host: String, port: UInt16) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let numeric = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, numeric, &address.sin_addr) == 1 else {
            throw SocketError("inet_pton(\(host))", code: EINVAL)
        }
        return address
    }
}
