import Glibc
import Testing
import Transport
@_spi(Gatehouse) @testable import HTTP

/// Peers that hold connections without finishing requests (slowloris) cost only their own connections: a head has a
/// total deadline however it trickles in, a body a minimum rate, and one peer address gets only its share of slots.
@Suite struct SlowPeerTests {
    /// A socket to `port` of 127.0.0.1 whose source address is `source` (any of 127.0.0.0/8 is loopback).
    static func connect(to port: UInt16, from source: String) throws -> Socket {
        let socket = Socket(fd: Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0))
        socket.setTimeouts(seconds: 10)
        var local = sockaddr_in(), remote = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = port.bigEndian
        inet_pton(AF_INET, source, &local.sin_addr)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else { throw SocketError("connect from \(source)") }
        return socket
    }

    /// Sends `bytes` one at a time, `gapMilliseconds` apart, until the server closes the connection; the count sent.
    static func trickle(_ bytes: [UInt8], on socket: Socket, gapMilliseconds: Int) -> Int {
        for (index, byte) in bytes.enumerated() {
            usleep(UInt32(gapMilliseconds * 1000))
            do { try socket.write([byte]) } catch { return index }
            var pending = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
            if poll(&pending, 1, 0) > 0 { return index + 1 }  // the server answered or closed
        }
        return bytes.count
    }

    /// A server whose heads have one second and whose bodies need `minBodyBytesPerSecond`, and a client of it.
    static func paced(minBodyBytesPerSecond: Int = 1024) throws -> (HTTPServer, Socket) {
        var limits = HTTPServer.Limits()
        limits.headTimeoutSeconds = 1
        limits.minBodyBytesPerSecond = minBodyBytesPerSecond
        let server = try HTTPServerTests.server(limits)
        return (server, try Socket.connect(host: "127.0.0.1", port: server.port, timeoutSeconds: 10))
    }

    @Test func aHeadThatTricklesInIsCutAtItsDeadline() throws {
        let (server, socket) = try Self.paced()
        defer { server.shutdown() }
        // One byte every 150 ms never leaves the socket silent for a second: only a deadline for the whole head ends
        // it. 80 bytes would take 12 s.
        let head = Array(("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + String(repeating: "a", count: 60) + "\r\n\r\n").utf8)
        let sent = Self.trickle(head, on: socket, gapMilliseconds: 150)
        #expect(sent < 20)
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(try buffer.withUnsafeMutableBytes { try socket.read(into: $0) } == 0)  // closed, no answer
    }

    @Test func aBodyBelowTheMinimumRateIsCut() throws {
        let (server, socket) = try Self.paced(minBodyBytesPerSecond: 4)
        defer { server.shutdown() }
        try socket.write(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".utf8))
        // One byte every 500 ms is 2 bytes a second, half the minimum: cut after the grace second and a few bytes.
        let sent = Self.trickle([UInt8](repeating: 65, count: 100), on: socket, gapMilliseconds: 500)
        #expect(sent < 10)
    }

    @Test func aBodyAtTheMinimumRateIsServed() throws {
        let (server, socket) = try Self.paced(minBodyBytesPerSecond: 4)
        defer { server.shutdown() }
        try socket.write(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n".utf8))
        // 10 bytes a second, over the minimum: slow, yet served.
        #expect(Self.trickle([UInt8](repeating: 65, count: 12), on: socket, gapMilliseconds: 100) == 12)
        let response = try WireConnection(socket: socket).readResponse()
        #expect(response.status == 200 && String(decoding: response.body, as: UTF8.self).contains("body=12"))
    }

    @Test func onePeerCannotTakeEverySlot() throws {
        var limits = HTTPServer.Limits()
        limits.maxConnections = 4
        limits.maxConnectionsPerPeer = 2
        let server = try HTTPServerTests.server(limits)
        defer { server.shutdown() }
        // The attacker (127.0.0.2) opens four connections and never finishes a head: two hold slots, two are refused.
        let held = try (0..<4).map { _ in
            let socket = try Self.connect(to: server.port, from: "127.0.0.2")
            try socket.write(Array("GET / HTTP/1.1\r\n".utf8))
            return socket
        }
        for socket in held[2...] { #expect(try WireConnection(socket: socket).readResponse().status == 503) }
        #expect(server.openConnections == 2)
        // Everyone else is still served.
        let other = WireConnection(socket: try Self.connect(to: server.port, from: "127.0.0.1"))
        try other.write(WireRequest(method: "GET", target: "/"))
        #expect(try other.readResponse().status == 200)
    }
}
