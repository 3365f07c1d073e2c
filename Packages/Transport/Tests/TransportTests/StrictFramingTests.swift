import Testing
@testable import Transport

/// Framing that two hops could read differently (RFC 9112 §6, the building blocks of request smuggling) is refused,
/// and no header that would split a message is ever written.
@Suite struct StrictFramingTests {
    let wire = WireConnectionTests()

    @Test(arguments: [
        ("POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nhello", "conflicting Content-Length"),
        ("POST / HTTP/1.1\r\nContent-Length: 4, 5\r\n\r\nhello", "conflicting Content-Length"),
        ("POST / HTTP/1.1\r\nContent-Length: +4\r\n\r\nabcd", "Content-Length"),
        ("POST / HTTP/1.1\r\nContent-Length: 04\r\n\r\nabcd", "Content-Length"),
        ("POST / HTTP/1.1\r\nContent-Length: 0x4\r\n\r\nabcd", "Content-Length"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n+4\r\nabcd\r\n0\r\n\r\n", "chunk size"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n-0\r\n\r\n", "chunk size"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0x4\r\nabcd\r\n0\r\n\r\n", "chunk size"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
         "unsupported Transfer-Encoding"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", "unsupported Transfer-Encoding"),
        ("GET / HTTP/1.1\nHost: x\n\n", "bare LF"),
        ("GET / HTTP/1.1\r\nHost: x\n\r\n\r\n", "bare LF"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\nabcd\r\n0\r\n\r\n", "bare LF"),
        ("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", "header line"),
        ("GET / HTTP/1.1\r\nX: a\r\n\r\r\n\r\n", "header line"),
        ("GET /a\rb HTTP/1.1\r\nX: a\r\n\r\n", "bare CR"),
        ("GET / HTTP/1.1\r\nX: a\u{0}b\r\n\r\n", "NUL in head"),
        ("GET /\u{0} HTTP/1.1\r\n\r\n", "NUL in head"),
        ("GET / HTTP/1.1\r\nX\u{B}Y: a\r\n\r\n", "header line"),
    ])
    func ambiguousFramingIsRefused(raw: String, reason: String) {
        #expect(throws: WireError.malformed(reason)) { try wire.readRequest(raw) }
    }

    @Test func unambiguousFormsStillRead() throws {
        let folded = try #require(try wire.readRequest("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"))
        #expect(text(folded.body) == "hello")
        let zeros = "POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n0005\r\nhello\r\n000\r\n\r\n"
        #expect(text(try #require(try wire.readRequest(zeros)).body) == "hello")
        #expect(try wire.readRequest("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")?.body == [])
    }

    @Test(arguments: [("X-Ok", "a\r\nSet-Cookie: pwn=1"), ("X-Ok", "a\nb"), ("X-Ok", "a\u{0}b"), ("X\r\nY", "z"), ("", "z"),
                      ("Bad Name", "z")])
    func headersThatWouldSplitAMessageAreNeverWritten(name: String, value: String) throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let client = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: listener.localPort))
        #expect(throws: WireError.unwritableHeader(name)) {
            try client.write(WireResponse(status: 200, headers: WireHeaders([(name, value)])))
        }
        #expect(throws: WireError.unwritableHeader(name)) {
            try client.write(WireRequest(method: "GET", target: "/", headers: WireHeaders([(name, value)])))
        }
    }
}
