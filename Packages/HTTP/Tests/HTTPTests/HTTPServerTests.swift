import Glibc
import Transport
import Testing
@_spi(Gatehouse) @testable import HTTP

/// The server over real loopback sockets.
@Suite struct HTTPServerTests {
    static func server(_ limits: HTTPServer.Limits = HTTPServer.Limits()) throws -> HTTPServer {
        try HTTPServer(limits: limits) { request in
            if request.path == "/slow" { try? await Task.sleep(for: .milliseconds(300)) }
            return .message(.ok, "\(request.method) \(request.path) q=\(request.query["q"]?.joined(separator: ",") ?? "") "
                + "body=\(request.body.count) ip=\(request.sourceIP ?? "?")")
        }
    }

    func client(_ server: HTTPServer) throws -> WireConnection {
        WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: server.port, timeoutSeconds: 5))
    }

    func text(_ response: WireResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func keepAliveServesSeveralRequests() throws {
        let server = try Self.server()
        defer { server.shutdown() }
        let connection = try client(server)
        try connection.write(WireRequest(method: "GET", target: "/a?q=1&q=two%20words"))
        #expect(text(try connection.readResponse()) == #"{"message":"GET /a q=1,two words body=0 ip=127.0.0.1"}"#)
        try connection.write(WireRequest(method: "POST", target: "/b", body: Array("hello".utf8)))
        let second = try connection.readResponse()
        #expect(second.status == 200 && text(second).contains("body=5"))
        #expect(second.headers["content-type"] == "application/json")
    }

    @Test func malformedAndOversizedRequests() throws {
        var limits = HTTPServer.Limits()
        limits.maxBodyBytes = 100
        limits.maxHeadBytes = 512
        let server = try Self.server(limits)
        defer { server.shutdown() }

        let malformed = try client(server)
        try malformed.send(Array("NONSENSE\r\n\r\n".utf8))
        #expect(try malformed.readResponse().status == 400)

        let large = try client(server)
        try large.write(WireRequest(method: "POST", target: "/x", body: [UInt8](repeating: 65, count: 101)))
        let refused = try large.readResponse()
        #expect(refused.status == 413 && refused.headers["connection"] == "close")

        let wide = try client(server)
        try wide.send(Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 600) + "\r\n\r\n").utf8))
        #expect(try wide.readResponse().status == 431)
    }

    @Test func slowClientsAreDropped() throws {
        var limits = HTTPServer.Limits()
        limits.headTimeoutSeconds = 1
        let server = try Self.server(limits)
        defer { server.shutdown() }
        let socket = try Socket.connect(host: "127.0.0.1", port: server.port, timeoutSeconds: 5)
        try socket.write(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8))  // never finishes its headers
        var buffer = [UInt8](repeating: 0, count: 256)
        let start = monotonicSeconds()
        let count = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
        #expect(count == 0)  // closed by the server
        #expect(monotonicSeconds() - start < 3)
    }

    @Test func connectionLimit() throws {
        var limits = HTTPServer.Limits()
        limits.maxConnections = 2
        let server = try Self.server(limits)
        defer { server.shutdown() }
        let first = try client(server), second = try client(server)
        try first.write(WireRequest(method: "GET", target: "/"))
        _ = try first.readResponse()
        try second.write(WireRequest(method: "GET", target: "/"))
        _ = try second.readResponse()
        let third = try client(server)
        #expect(try third.readResponse().status == 503)
        #expect(server.openConnections == 2)
    }

    @Test func concurrentRequestsOnManyConnections() async throws {
        let server = try Self.server()
        defer { server.shutdown() }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await Task.detached {
                        let connection = try client(server)
                        try connection.write(WireRequest(method: "GET", target: "/slow"))
                        return try connection.readResponse().status
                    }.value
                }
            }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            #expect(statuses == [Int](repeating: 200, count: 16))
        }
    }

    @Test func shutdownClosesEverything() throws {
        let server = try Self.server()
        let connection = try client(server)
        try connection.write(WireRequest(method: "GET", target: "/"))
        _ = try connection.readResponse()
        server.shutdown()
        #expect(throws: (any Error).self) {
            try connection.write(WireRequest(method: "GET", target: "/"))
            _ = try connection.readResponse()
        }
    }
}

func monotonicSeconds() -> Double { Double(monotonicNanoseconds()) / 1_000_000_000 }

extension HTTPServerTests {
    /// A handler's header value holding CR LF never reaches the wire: the client gets one 500, not a forged message.
    @Test func aResponseHeaderThatWouldSplitTheResponseBecomesA500() throws {
        let server = try HTTPServer { _ in
            var response = HTTPResponse.message(.unauthorized, "Unauthorized")
            response.headers["www-authenticate"] = "Bearer error=\"\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nX:\""
            return response
        }
        defer { server.shutdown() }
        let connection = try client(server)
        try connection.write(WireRequest(method: "GET", target: "/"))
        let response = try connection.readResponse()
        #expect(response.status == 500 && text(response) == #"{"message":"Internal Server Error"}"#)
        #expect(response.headers["www-authenticate"] == nil && response.headers["connection"] == "close")
        #expect(throws: (any Error).self) { try connection.readResponse() }
    }

    /// A bare-LF request is answered 400 and closed, not left hanging.
    @Test func bareLineFeedRequestsAreAnswered400() throws {
        let server = try Self.server()
        defer { server.shutdown() }
        let connection = try client(server)
        try connection.send(Array("GET / HTTP/1.1\nHost: x\n\n".utf8))
        let response = try connection.readResponse()
        #expect(response.status == 400 && text(response) == #"{"message":"bare LF"}"#)
    }
}
