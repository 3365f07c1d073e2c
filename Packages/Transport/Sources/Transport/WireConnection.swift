import Glibc

/// A two-way byte stream: a TCP socket, or TLS on one.
public protocol ByteStream: AnyObject, Sendable {
    /// Reads up to `buffer.count` bytes; 0 at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes every byte.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension Socket: ByteStream {}

/// Reads and writes HTTP/1.1 messages on one keep-alive stream.
///
/// Bodies are framed by `Content-Length` or `Transfer-Encoding: chunked` (both at once is refused,
/// as request smuggling defences do); head and body sizes are bounded.
public final class WireConnection: @unchecked Sendable {
    /// The stream.
    public let stream: any ByteStream
    private var buffer: [UInt8] = []
    private var start = 0
    private let maxHeadBytes: Int
    private let maxBodyBytes: Int

    /// A connection on `stream` with limits on head and body sizes.
    public init(stream: any ByteStream, maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.stream = stream
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Reads the next request; `nil` when the peer closed cleanly between requests.
    /// `afterHead` runs once the head is read, before the body; `onExpectContinue` runs when the client waits for
    /// `100 Continue` before sending its body.
    public func readRequest(afterHead: () -> Void = {}, onExpectContinue: () throws -> Void = {}) throws -> WireRequest? {
        guard let head = try readHead(allowCleanClose: true) else { return nil }
        afterHead()
        let parts = head.startLine.split(ascii: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), !parts[0].isEmpty, parts[1].hasPrefix("/") else {
            throw WireError.malformed("request line")
        }
        if head.headers["expect"]?.lowercased() == "100-continue" { try onExpectContinue() }
        let body = try readBody(Framing(head.headers))
        return WireRequest(method: String(parts[0]), target: String(parts[1]), headers: head.headers, body: body)
    }

    /// Reads the next response, skipping interim `1xx` responses.
    public func readResponse() throws -> WireResponse {
        while true {
            guard let head = try readHead(allowCleanClose: false) else { throw WireError.closed }
            guard let status = Self.statusCode(head.startLine) else { throw WireError.malformed("status line") }
            if status < 200 { continue }
            let framing = Framing(head.headers)
            let delimited = !framing.declared.isEmpty || !framing.encodings.isEmpty
            let body = delimited || status == 204 || status == 304 ? try readBody(framing) : try readToEnd()
            return WireResponse(status: status, headers: head.headers, body: body)
        }
    }

    /// The code of a status line `HTTP/1.x NNN[ reason]`, from 100 to 599.
    static func statusCode(_ line: Substring) -> Int? {
        var line = line
        return line.withUTF8 { bytes in
            guard bytes.count >= 12, bytes.starts(with: "HTTP/1.".utf8), bytes[8] == 32, bytes.count == 12 || bytes[12] == 32,
                  bytes[9...11].allSatisfy(\.isASCIIDecimalDigit)
            else { return nil }
            let code = bytes[9...11].reduce(0) { $0 * 10 + Int($1 - 48) }
            return (100...599).contains(code) ? code : nil
        }
    }

    /// True when bytes of a next message are already read from the stream.
    public var hasBufferedBytes: Bool { buffer.count > start }

    /// How many bytes of the stream the messages read so far took up.
    public var consumedBytes: Int { receivedBytes - (buffer.count - start) }
    private var receivedBytes = 0

    /// A connection on a TCP socket.
    public convenience init(socket: Socket, maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.init(stream: socket, maxHeadBytes: maxHeadBytes, maxBodyBytes: maxBodyBytes)
    }

    /// Sends a request; throws `unwritableHeader` (sending nothing) for a header that would split it.
    public func write(_ request: WireRequest) throws {
        if let name = request.headers.firstUnwritableField { throw WireError.unwritableHeader(name) }
        try send(request.serialized())
    }
    /// Sends requests back to back in one write (pipelining); throws `unwritableHeader` (sending nothing) for a header
    /// that would split one.
    public func write(_ requests: [WireRequest]) throws {
        if let name = requests.lazy.compactMap(\.headers.firstUnwritableField).first { throw WireError.unwritableHeader(name) }
        try send(requests.count == 1 ? requests[0].serialized() : requests.flatMap { $0.serialized() })
    }
    /// Sends a response; throws `unwritableHeader` (sending nothing) for a header that would split it.
    public func write(_ response: WireResponse) throws {
        if let name = response.headers.firstUnwritableField { throw WireError.unwritableHeader(name) }
        try send(response.serialized())
    }
    /// Sends raw bytes (such as an interim `100 Continue`).
    public func send(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try stream.write($0) } }

    // MARK: - Framing

    private struct Head {
        var startLine: Substring
        var headers: WireHeaders
    }

    private func readHead(allowCleanClose: Bool) throws -> Head? {
        var scanned = 0  // bytes after `start` already searched; `fill` may move `start`
        while true {
            if let end = try headTerminator(from: start + scanned) {
                guard end - start <= maxHeadBytes else { throw WireError.tooLarge("header section") }
                let head = try buffer.withUnsafeBufferPointer { try Self.parseHead(UnsafeBufferPointer(rebasing: $0[start..<end])) }
                start = end + 4
                return head
            }
            guard buffer.count - start <= maxHeadBytes else { throw WireError.tooLarge("header section") }
            scanned = max(0, buffer.count - start - 3)
            if try !fill() {
                if allowCleanClose && start == buffer.count { return nil }
                throw WireError.closed
            }
        }
    }

    /// Where the head's CRLFCRLF starts; a line feed without its carriage return is refused (RFC 9112 §2.2).
    /// Only line feeds are looked at (found with `memchr`): each must follow a CR, and one ending CR LF CR LF ends
    /// the head.
    private func headTerminator(from index: Int) throws -> Int? {
        let start = start
        return try buffer.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress else { return nil }
            var i = index
            while i < bytes.count, let found = memchr(base + i, 10, bytes.count - i) {
                let lineFeed = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                guard lineFeed > start, bytes[lineFeed - 1] == 13 else { throw WireError.malformed("bare LF") }
                if lineFeed - 3 >= start, bytes[lineFeed - 2] == 10, bytes[lineFeed - 3] == 13 { return lineFeed - 3 }
                i = lineFeed + 1
            }
            return nil
        }
    }

    /// Parses a head (without its final CRLFCRLF) in place: lines end at a CR, which must start a CRLF; one string
    /// made per name and value. NUL is refused anywhere.
    private static func parseHead(_ head: UnsafeBufferPointer<UInt8>) throws -> Head {
        guard let base = head.baseAddress, !head.isEmpty else { throw WireError.malformed("empty head") }
        guard memchr(base, 0, head.count) == nil else { throw WireError.malformed("NUL in head") }
        /// Where the line starting at `start` ends: at a CR that must start a CRLF, or at the head's end.
        func lineEnd(from start: Int, reason: String) throws -> Int {
            guard start < head.count, let found = memchr(base + start, 13, head.count - start) else { return head.count }
            let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard end + 1 < head.count, head[end + 1] == 10 else { throw WireError.malformed(reason) }
            return end
        }
        let startLineEnd = try lineEnd(from: 0, reason: "bare CR")
        let startLine = Substring(String(decoding: UnsafeBufferPointer(rebasing: head[..<startLineEnd]), as: UTF8.self))
        var headers = WireHeaders()
        headers.reserveCapacity(12)
        var lineStart = startLineEnd + 2
        while lineStart <= head.count {
            let end = try lineEnd(from: lineStart, reason: "header line")
            try parseField(UnsafeBufferPointer(rebasing: head[lineStart..<end]), into: &headers)
            lineStart = end + 2
        }
        return Head(startLine: startLine, headers: headers)
    }

    /// `name: value`: a name without whitespace or controls, a value trimmed of spaces and tabs (the line holds no CR or NUL).
    private static func parseField(_ line: UnsafeBufferPointer<UInt8>, into headers: inout WireHeaders) throws {
        guard let base = line.baseAddress, let found = memchr(base, 58, line.count) else {
            throw WireError.malformed("header line")
        }
        let colon = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        var index = 0
        while index < colon, line[index] > 32, line[index] != 127 { index += 1 }
        guard colon > 0, index == colon else { throw WireError.malformed("header line") }
        var valueStart = colon + 1, valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 32 || line[valueStart] == 9 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 32 || line[valueEnd - 1] == 9 { valueEnd -= 1 }
        let name = UnsafeBufferPointer(rebasing: line[..<colon])
        headers.add(String(decoding: name, as: UTF8.self),
                    String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self),
                    fingerprint: WireHeaders.fingerprint(UnsafeRawBufferPointer(name)))
    }

    /// The body as the head frames it, strictly (RFC 9112 §6): one `Transfer-Encoding: chunked`, or
    /// `Content-Length` values that are all the same plain decimal; anything else could be read differently by
    /// another hop, so it is refused.
    private func readBody(_ framing: Framing) throws -> [UInt8] {
        let (declared, encodings) = (framing.declared, framing.encodings)
        if !declared.isEmpty && !encodings.isEmpty { throw WireError.malformed("both Content-Length and Transfer-Encoding") }
        if !encodings.isEmpty {
            guard encodings.count == 1, encodings[0].lowercased() == "chunked" else {
                throw WireError.malformed("unsupported Transfer-Encoding")
            }
            return try readChunkedBody()
        }
        guard let count = try Self.contentLength(declared) else { return [] }
        guard count <= maxBodyBytes else { throw WireError.tooLarge("body") }
        return try take(count)
    }

    /// The header values that frame a body, looked up once per message.
    private struct Framing {
        let declared: [String]
        let encodings: [String]

        init(_ headers: WireHeaders) {
            declared = headers.values("content-length")
            encodings = headers.values("transfer-encoding")
        }
    }

    /// The length every `Content-Length` value (and comma-separated member) agrees on, each a plain decimal.
    static func contentLength(_ declared: [String]) throws -> Int? {
        if declared.count == 1, let count = plainDecimal(declared[0].utf8) { return count }
        let lengths = declared.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimming(" \t") }
        guard let length = lengths.first else { return nil }
        guard lengths.allSatisfy({ $0 == length }) else { throw WireError.malformed("conflicting Content-Length") }
        guard let count = plainDecimal(length.utf8) else { throw WireError.malformed("Content-Length") }
        return count
    }

    /// Digits only, no sign and no leading zero (but `0`), at most 18 of them.
    private static func plainDecimal(_ digits: String.UTF8View) -> Int? {
        guard !digits.isEmpty, digits.count <= 18, digits.count == 1 || digits.first != 48 else { return nil }
        var value = 0
        for digit in digits {
            guard digit.isASCIIDecimalDigit else { return nil }
            value = value * 10 + Int(digit - 48)
        }
        return value
    }


    /// A response body without length: everything until the peer closes (HTTP/1.0 style), bounded.
    private func readToEnd() throws -> [UInt8] {
        while try fill() {
            guard buffer.count - start <= maxBodyBytes else { throw WireError.tooLarge("body") }
        }
        return try take(buffer.count - start)
    }

    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            let digits = sizeLine.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimming(" \t") } ?? ""
            let significant = digits.drop { $0 == "0" }
            guard !digits.isEmpty, digits.utf8.allSatisfy(\.isASCIIHexDigit), significant.count <= 15,
                  let size = significant.isEmpty ? 0 : Int(significant, radix: 16) else {
                throw WireError.malformed("chunk size")
            }
            guard body.count + size <= maxBodyBytes else { throw WireError.tooLarge("body") }
            if size == 0 {
                while try !readLine().isEmpty {}  // trailers
                return body
            }
            body += try take(size)
            guard try readLine().isEmpty else { throw WireError.malformed("chunk terminator") }
        }
    }

    private func readLine() throws -> String {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                guard newline > start, buffer[newline - 1] == 13 else { throw WireError.malformed("bare LF") }
                let line = String(decoding: buffer[start..<(newline - 1)], as: UTF8.self)
                start = newline + 1
                return line
            }
            guard buffer.count - start <= maxHeadBytes else { throw WireError.tooLarge("chunk line") }
            guard try fill() else { throw WireError.closed }
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else { throw WireError.closed }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// Reads more bytes from the socket; false at end of stream.
    private func fill() throws -> Bool {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 64 * 1024 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk = 64 * 1024
        let oldCount = buffer.count
        buffer.reserveCapacity(oldCount + chunk)
        var received = 0
        try withUnsafeTemporaryAllocation(byteCount: chunk, alignment: 1) { scratch in
            received = try stream.read(into: scratch)
            buffer.append(contentsOf: scratch[0..<received])
            receivedBytes += received
        }
        return received > 0
    }
}

extension UInt8 {
    var isASCIIWhitespace: Bool { self == 32 || (9...13).contains(self) }
    var isASCIIDecimalDigit: Bool { (48...57).contains(self) }
    var isASCIIHexDigit: Bool { isASCIIDecimalDigit || (65...70).contains(self) || (97...102).contains(self) }
}
