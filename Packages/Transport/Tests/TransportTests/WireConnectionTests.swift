import Glibc
import Testing
@testable import Transport

/// The HTTP/1.1 framing, over a real loopback connection.
@Suite struct WireConnectionTests {
    /// Sends `raw` from a client socket and reads one request on the server side.
    func readRequest(_ raw: String, maxBody: Int = 1024) throws -> WireRequest? {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort)
        let server = WireConnection(socket: try listener.accept(), maxHeadBytes: 256, maxBodyBytes: maxBody)
        try client.write(bytes(raw))
        client.shutdown()
        return try server.readRequest()
    }

    @Test func contentLengthBody() throws {
        let request = try #require(try readRequest("POST /a HTTP/1.1\r\nContent-Length: 5\r\nX-Y: z\r\n\r\nhello"))
        #expect(request.method == "POST")
        #expect(request.target == "/a")
        #expect(request.headers["x-y"] == "z")
        #expect(text(request.body) == "hello")
    }

    @Test func statusLines() {
        #expect(WireConnection.statusCode("HTTP/1.1 200 OK") == 200)
        #expect(WireConnection.statusCode("HTTP/1.0 404") == 404)
        #expect(WireConnection.statusCode("HTTP/1.1 202 Accepted, with words") == 202)
        for bad in ["HTTP/1.1 20", "HTTP/1.1 2000 OK", "HTTP/2 200 OK", "HTTP/1.1 600 X", "HTTP/1.1 099 X", "HTTP/1.1 +20 X",
                    "HTTP/1.1  200 OK", "HTTP/1.1 200\tOK", "http/1.1 200 OK", ""] {
            #expect(WireConnection.statusCode(Substring(bad)) == nil, "\(bad.debugDescription)")
        }
    }

    @Test func chunkedBody() throws {
        let raw = "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nT: 1\r\n\r\n"
        #expect(text(try #require(try readRequest(raw)).body) == "hello world")
    }

    @Test func smugglingShapesAreRefused() {
        #expect(throws: WireError.malformed("both Content-Length and Transfer-Encoding")) {
            try readRequest("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        }
        #expect(throws: WireError.malformed("header line")) { try readRequest("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n") }
        #expect(throws: WireError.malformed("header line")) { try readRequest("GET / HTTP/1.1\r\n folded\r\n\r\n") }
        #expect(throws: WireError.malformed("Content-Length")) {
            try readRequest("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")
        }
        #expect(throws: WireError.malformed("request line")) { try readRequest("GET nothing\r\n\r\n") }
    }

    @Test func limitsAreEnforced() {
        #expect(throws: WireError.tooLarge("header section")) {
            try readRequest("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 400) + "\r\n\r\n")
        }
        #expect(throws: WireError.tooLarge("body")) { try readRequest("POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n") }
    }

    @Test func truncatedBodyIsAnError() {
        #expect(throws: WireError.closed) { try readRequest("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc") }
    }

    @Test func cleanCloseBetweenRequestsIsNotAnError() throws {
        #expect(try readRequest("") == nil)
    }
}

extension WireConnectionTests {
    /// A second request arriving in pieces after the first was consumed (the buffer is recycled in between).
    @Test func keepAliveRequestsInPieces() async throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort)
        let server = WireConnection(socket: try listener.accept())
        try client.write(bytes("GET /first HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try server.readRequest()?.target == "/first")
        let second = "POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
        let halfway = second.index(second.startIndex, offsetBy: 20)
        // The writer is an OS thread: a task would need a pool thread while this one blocks reading, and with the
        // pool's other threads blocked by other tests the two would wait on each other for ever.
        let written = ConditionLock()
        nonisolated(unsafe) var done = false
        try client.write(bytes(String(second[..<halfway])))
        startThread {
            usleep(30_000)
            try? client.write(bytes(String(second[halfway...])))
            written.withLock { done = true; written.broadcast() }
        }
        let request = try server.readRequest()
        written.withLock { written.wait { done } }
        #expect(request?.target == "/second")
        #expect(request.map { text($0.body) } == "abc")
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
