@_spi(Gatehouse) @testable import HTTP
import Transport

/// Bytes a client sends the local server on one keep-alive connection, read in small pieces as from a socket. Each
/// request read must survive being written and read again, and is answered through the application; requests over
/// plain HTTP carry no caller, so protected routes answer 401 and the scoped handler never runs.
enum HTTPRequestFuzzing {
    static func run(_ input: [UInt8]) throws(InvariantViolation) {
        let connection = WireConnection(stream: BufferStream(input), maxHeadBytes: 8 * 1024, maxBodyBytes: 64 * 1024)
        for _ in 0..<8 {
            guard let wire = (try? connection.readRequest()) ?? nil else { return }
            try expectRoundTrip(wire)
            let request = HTTPServer.request(wire, peer: "127.0.0.1")
            let application = FuzzApplication.application
            let response = FuzzApplication.run { await application.respond(to: request) }
            try expect(response.headers[FuzzApplication.scopedMark] == nil, "the scoped handler ran for a request without a caller")
            let bytes = HTTPServer.wire(response).serialized()
            let reread = try? WireConnection(stream: BufferStream(bytes)).readResponse()
            try expect(reread?.status == response.status.rawValue && reread?.body == response.body,
                       "the response did not read back")
        }
    }

    /// Written again (with the body's length instead of any chunked framing), the request reads back the same.
    private static func expectRoundTrip(_ wire: WireRequest) throws(InvariantViolation) {
        let fields = wire.headers.fields.filter { $0.name.lowercased() != "transfer-encoding" }
        let rewritten = WireRequest(method: wire.method, target: wire.target, headers: WireHeaders(fields), body: wire.body)
        let reread = (try? WireConnection(stream: BufferStream(rewritten.serialized())).readRequest()) ?? nil
        try expect(reread?.method == wire.method && reread?.target == wire.target && reread?.body == wire.body,
                   "request \(wire.method) \(wire.target) did not read back")
    }
}

/// A byte stream over a buffer that hands out at most 113 bytes per read, so heads and bodies arrive split.
final class BufferStream: ByteStream, @unchecked Sendable {
    private var remaining: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) { remaining = bytes[...] }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, remaining.count, 113)
        remaining.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        remaining = remaining.dropFirst(count)
        return count
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {}
}
