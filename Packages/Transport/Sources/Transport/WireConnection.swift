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
    /// `onExpectContinue` runs when the client waits for `100 Continue` before sending its body.
    public func readRequest(onExpectContinue: () throws -> Void = {}) throws -> WireRequest? {
        guard let head = try readHead(allowCleanClose: true) else { return nil }
        let parts = head.startLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), !parts[0].isEmpty, parts[1].hasPrefix("/") else {
            throw WireError.malformed("request line")
        }
        if head.headers["expect"]?.lowercased() == "100-continue" { try onExpectContinue() }
        let body = try readBody(head.headers)
        return WireRequest(method: String(parts[0]), target: String(parts[1]), headers: head.headers, body: body)
    }

    /// Reads the next response, skipping interim `1xx` responses.
    public func readResponse() throws -> WireResponse {
        while true {
            guard let head = try readHead(allowCleanClose: false) else { throw WireError.closed }
            let parts = head.startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...599).contains(status)
            else { throw WireError.malformed("status line") }
            if status < 200 { continue }
            let delimited = head.headers["content-length"] != nil || head.headers["transfer-encoding"] != nil
            let body = delimited || status == 204 || status == 304 ? try readBody(head.headers) : try readToEnd()
            return WireResponse(status: status, headers: head.headers, body: body)
        }
    }

    /// A connection on a TCP socket.
    public convenience init(socket: Socket, maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.init(stream: socket, maxHeadBytes: maxHeadBytes, maxBodyBytes: maxBodyBytes)
    }

    /// Sends a request; throws `unwritableHeader` (sending nothing) for a header that would split it.
    public func write(_ request: WireRequest) throws {
        if let name = request.headers.firstUnwritableField { throw WireError.unwritableHeader(name) }
        try send(request.serialized())
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
                let text = String(decoding: buffer[start..<end], as: UTF8.self)
                start = end + 4
                return try parseHead(text)
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
    private func headTerminator(from index: Int) throws -> Int? {
        var i = index
        while i < buffer.count {
            if buffer[i] == 10, i == start || buffer[i - 1] != 13 { throw WireError.malformed("bare LF") }
            if i + 3 < buffer.count, buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 {
                return i
            }
            i += 1
        }
        return nil
    }

    private func parseHead(_ text: String) throws -> Head {
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { throw WireError.malformed("empty head") }
        let startLine = lines.removeFirst()
        var headers = WireHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line.first!.isWhitespace, !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }),
                  !line.utf8.contains(where: { $0 == 13 || $0 == 0 })
            else { throw WireError.malformed("header line") }
            let value = line[line.index(after: colon)...].trimming(" \t")
            headers.add(String(line[..<colon]), value)
        }
        return Head(startLine: startLine, headers: headers)
    }

    /// The body as the head frames it, strictly (RFC 9112 §6): one `Transfer-Encoding: chunked`, or
    /// `Content-Length` values that are all the same plain decimal; anything else could be read differently by
    /// another hop, so it is refused.
    private func readBody(_ headers: WireHeaders) throws -> [UInt8] {
        let lengths = headers.values("content-length").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimming(" \t") }
        let encodings = headers.values("transfer-encoding")
        if !lengths.isEmpty && !encodings.isEmpty { throw WireError.malformed("both Content-Length and Transfer-Encoding") }
        if !encodings.isEmpty {
            guard encodings.count == 1, encodings[0].lowercased() == "chunked" else {
                throw WireError.malformed("unsupported Transfer-Encoding")
            }
            return try readChunkedBody()
        }
        guard let length = lengths.first else { return [] }
        guard lengths.allSatisfy({ $0 == length }) else { throw WireError.malformed("conflicting Content-Length") }
        guard !length.isEmpty, length.utf8.allSatisfy(\.isASCIIDecimalDigit), length == "0" || !length.hasPrefix("0"),
              length.count <= 18, let count = Int(length)
        else { throw WireError.malformed("Content-Length") }
        guard count <= maxBodyBytes else { throw WireError.tooLarge("body") }
        return try take(count)
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
        }
        return received > 0
    }
}

extension UInt8 {
    var isASCIIDecimalDigit: Bool { (48...57).contains(self) }
    var isASCIIHexDigit: Bool { isASCIIDecimalDigit || (65...70).contains(self) || (97...102).contains(self) }
}

extension StringProtocol {
    /// Drops leading and trailing characters found in `set`.
    public func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
