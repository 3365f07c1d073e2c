import Testing
import Transport

/// An answer a handler holds back (`.later`) is sent from another thread, in its place among the connection's
/// answers; once the connection ended it cannot be sent.
@Suite struct LaterResponseTests {
    /// A server whose `/held` requests are answered later (the held answers are collected) and others at once.
    final class Server: @unchecked Sendable {
        private(set) var wire: WireServer!
        private let lock = ConditionLock()
        private var handled = 0
        private var held: [LaterResponse] = []

        init() throws {
            wire = try WireServer(answer: { _ in WireResponse(status: 400) }, handler: { [unowned self] request, peer in
                let reply: WireServer.Reply
                if request.target == "/held" {
                    let later = peer.holdResponse()
                    lock.withLock { held.append(later) }
                    reply = .later
                } else {
                    reply = .respond(WireResponse(status: 200, body: Array("now".utf8)))
                }
                lock.withLock { handled += 1; lock.broadcast() }
                return reply
            })
        }

        /// Blocks until the handler has seen `count` requests; the held answers then.
        func waitForRequests(_ count: Int) -> [LaterResponse] {
            lock.withLock {
                lock.wait { handled >= count }
                return held
            }
        }
    }

    @Test func aRequestBehindAHeldAnswerIsHandledOnceThatOneIsSent() throws {
        let server = try Server()
        defer { server.wire.shutdown() }
        let client = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: server.wire.port, timeoutSeconds: 10))
        try client.write([WireRequest(method: "GET", target: "/held"), WireRequest(method: "GET", target: "/held"),
                          WireRequest(method: "GET", target: "/now")])
        // The second request waits behind the first's held answer: each is held on its own turn, in order.
        let first = server.waitForRequests(1)
        #expect(first.count == 1)
        #expect(first[0].send(WireResponse(status: 200, body: Array("first".utf8))))
        let both = server.waitForRequests(2)
        #expect(both.count == 2)
        #expect(both.last?.send(WireResponse(status: 200, body: Array("second".utf8))) == true)
        #expect(try client.readResponse().body == Array("first".utf8))
        #expect(try client.readResponse().body == Array("second".utf8))
        #expect(try client.readResponse().body == Array("now".utf8))
    }

    @Test func anAnswerHeldForAnEndedConnectionIsNotSent() throws {
        let server = try Server()
        defer { server.wire.shutdown() }
        let client = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: server.wire.port, timeoutSeconds: 10))
        try client.write(WireRequest(method: "GET", target: "/held"))
        let held = server.waitForRequests(1)
        // Bytes that are no request end the connection; the held answer is given up before the 400 goes out.
        try client.send(Array("NOT HTTP\r\n\r\n".utf8))
        #expect(try client.readResponse().status == 400)
        #expect(held.first?.send(WireResponse(status: 200)) == false)
    }
}
