/// An HTTP/1.1 header list that keeps order and duplicates; names compare case-insensitively.
public struct WireHeaders: Sendable {
    /// One field and its name's case-folded fingerprint, so a lookup compares numbers and reads only the name that
    /// matches. A struct, not a tuple: an array of tuples is destroyed through the runtime's generic tuple witness.
    struct Field {
        let name: String
        let value: String
        let fingerprint: UInt64
    }

    fileprivate var stored: [Field] = []

    /// The fields in wire order.
    public var fields: [(name: String, value: String)] { stored.map { ($0.name, $0.value) } }

    /// Headers holding `fields`.
    public init(_ fields: [(name: String, value: String)] = []) {
        stored.reserveCapacity(fields.count)
        for field in fields { add(field.name, field.value) }
    }

    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        let wanted = Self.fingerprint(name)
        return stored.first { $0.fingerprint == wanted && $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// Room for `count` fields, before a parser adds them.
    mutating func reserveCapacity(_ count: Int) {
        stored.reserveCapacity(count)
    }

    /// Appends a field.
    public mutating func add(_ name: String, _ value: String) {
        add(name, value, fingerprint: Self.fingerprint(name))
    }

    /// Appends a field whose name's fingerprint the parser took from the bytes it read.
    mutating func add(_ name: String, _ value: String, fingerprint: UInt64) {
        stored.append(Field(name: name, value: value, fingerprint: fingerprint))
    }

    /// Every value of `name`, in wire order, compared case-insensitively.
    public func values(_ name: String) -> [String] {
        let wanted = Self.fingerprint(name)
        var values: [String] = []
        for field in stored where field.fingerprint == wanted && field.name.equalsIgnoringASCIICase(name) {
            values.append(field.value)
        }
        return values
    }

    private static func fingerprint(_ name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { fingerprint(UnsafeRawBufferPointer($0)) }
    }

    /// The length and the first and last eight bytes of a name with bit 5 set (which folds ASCII case, and may only
    /// make two different names agree, never two equal ones differ).
    static func fingerprint(_ name: UnsafeRawBufferPointer) -> UInt64 {
        let folding: UInt64 = 0x2020_2020_2020_2020
        guard name.count >= 8 else {
            return name.reduce(UInt64(name.count)) { $0 << 8 | UInt64($1 | 0x20) }
        }
        let first = name.loadUnaligned(as: UInt64.self) | folding
        let last = name.loadUnaligned(fromByteOffset: name.count - 8, as: UInt64.self) | folding
        return first ^ (last << 9 | last >> 55) ^ UInt64(name.count) << 56
    }

    /// The name of the first field that cannot be written as it is: a name that is empty or holds a separator,
    /// or a name or value holding CR, LF or NUL (which would split the message and forge another).
    public var firstUnwritableField: String? {
        stored.first { field in
            var (name, value) = (field.name, field.value)
            return name.isEmpty || name.withUTF8 { $0.contains { $0 <= 32 || $0 == 58 || $0 == 127 } }
                || value.withUTF8 { $0.contains { $0 == 13 || $0 == 10 || $0 == 0 } }
        }?.name
    }
}

/// One HTTP/1.1 request as read from or written to the wire.
public struct WireRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The request target (`/path?query`).
    public var target: String
    /// The header fields.
    public var headers: WireHeaders
    /// The body.
    public var body: [UInt8]

    /// A request.
    public init(method: String, target: String, headers: WireHeaders = WireHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

/// One HTTP/1.1 response as read from or written to the wire.
public struct WireResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The header fields.
    public var headers: WireHeaders
    /// The body.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: WireHeaders = WireHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why a message could not be read or written.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case closed
    case malformed(String)
    case tooLarge(String)
    /// A header about to be written holds CR, LF or NUL (or its name a separator); nothing was written.
    case unwritableHeader(String)

    public var description: String {
        switch self {
        case .closed: "connection closed"
        case .malformed(let reason): "malformed HTTP message: \(reason)"
        case .tooLarge(let what): "\(what) too large"
        case .unwritableHeader(let name): "header \(name.debugDescription) holds CR, LF or NUL"
        }
    }
}

extension WireRequest {
    /// The request as bytes, with `Content-Length` set from the body.
    public func serialized() -> [UInt8] {
        serializedMessage(startLine: [method, " ", target, " HTTP/1.1"], headers: headers, body: body)
    }
}

extension WireResponse {
    /// The response as bytes, with `Content-Length` set from the body.
    public func serialized() -> [UInt8] {
        serializedMessage(startLine: ["HTTP/1.1 ", String(status), " ", reasonPhrase(status)], headers: headers, body: body)
    }
}

/// Start line, the fields but any `Content-Length`, the body's own `Content-Length`, then the body: one buffer.
private func serializedMessage(startLine: [String], headers: WireHeaders, body: [UInt8]) -> [UInt8] {
    let length = String(body.count)
    var size = 40 + length.utf8.count + body.count + startLine.reduce(0) { $0 + $1.utf8.count }
    for field in headers.stored { size += field.name.utf8.count + field.value.utf8.count + 4 }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(size)
    for part in startLine { bytes.append(contentsOf: part.utf8) }
    bytes.append(contentsOf: "\r\n".utf8)
    for field in headers.stored where !field.name.equalsIgnoringASCIICase("content-length") {
        bytes.append(contentsOf: field.name.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: field.value.utf8)
        bytes.append(contentsOf: "\r\n".utf8)
    }
    bytes.append(contentsOf: "Content-Length: ".utf8)
    bytes.append(contentsOf: length.utf8)
    bytes.append(contentsOf: "\r\n\r\n".utf8)
    bytes.append(contentsOf: body)
    return bytes
}

extension String {
    /// Equal when ASCII letters are folded (header names), compared byte by byte without allocating.
    public func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var (mine, theirs) = (self, other)
        return mine.withUTF8 { a in
            theirs.withUTF8 { b in
                a.indices.allSatisfy { a[$0] == b[$0] || (a[$0] ^ 0x20 == b[$0] && (a[$0] | 0x20) &- 0x61 < 26) }
            }
        }
    }
}

private func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 302: "Found"
    case 304: "Not Modified"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 413: "Payload Too Large"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    default: "Status"
    }
}
