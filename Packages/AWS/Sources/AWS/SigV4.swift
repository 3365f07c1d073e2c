import COpenSSL
import Glibc

/// AWS credentials.
public struct AWSCredentials: Sendable, Equatable {
    /// `AWS_ACCESS_KEY_ID`.
    public var accessKeyID: String
    /// `AWS_SECRET_ACCESS_KEY`; never logged.
    public var secretAccessKey: String
    /// `AWS_SESSION_TOKEN`, for temporary credentials (Lambda's role).
    public var sessionToken: String?

    /// Credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4: signing requests (the JSON protocols DynamoDB speaks) and, for a server that checks
/// them, recomputing the signature of a request as received.
public struct SigV4: Sendable {
    let credentials: AWSCredentials
    let region: String
    let service: String

    /// A signer (or checker) for `credentials` in `region` for `service` (`dynamodb`, `execute-api`).
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The steps of one signature, kept for the error a server gives when a signature does not match.
    public struct Signing: Sendable {
        /// The canonical request.
        public let canonicalRequest: String
        /// The string to sign.
        public let stringToSign: String
        /// The credential scope (`20150830/us-east-1/iam/aws4_request`).
        public let scope: String
        /// The signature, lower-case hex.
        public let signature: String
    }

    /// The signature of a request whose canonical parts are given: `canonicalPath` and `canonicalQuery` already
    /// encoded, `headers` the signed ones (lower-case names, each value as it is signed), `payloadHash` hex.
    public func signing(method: String, canonicalPath: String, canonicalQuery: String, headers: [String: String],
                        payloadHash: String, amzDate: String) -> Signing {
        let names = headers.keys.sorted()
        let canonicalRequest = [
            method, canonicalPath, canonicalQuery,
            names.map { "\($0):\(headers[$0]!)\n" }.joined(),
            names.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
        let date = String(amzDate.prefix(8))
        let scope = "\(date)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, hexEncoded(Self.sha256(Array(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [date, region, service, "aws4_request"] { key = Self.hmac(key, Array(part.utf8)) }
        return Signing(canonicalRequest: canonicalRequest, stringToSign: stringToSign, scope: scope,
                       signature: hexEncoded(Self.hmac(key, Array(stringToSign.utf8))))
    }

    /// The headers to add to a request: `X-Amz-Date`, `X-Amz-Security-Token` when present, and `Authorization`.
    /// `headers` are the request's own headers that get signed (`host`, `content-type`, `x-amz-target`…); `path` and
    /// `query` as they are signed (canonical).
    public func sign(method: String, path: String, query: String = "", headers: [String: String], body: [UInt8],
              amzDate: String) -> [String: String] {
        var signed = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), Self.trim($0.value)) })
        signed["x-amz-date"] = amzDate
        if let token = credentials.sessionToken { signed["x-amz-security-token"] = token }
        let signing = signing(method: method, canonicalPath: path, canonicalQuery: query, headers: signed,
                              payloadHash: Self.payloadHash(body), amzDate: amzDate)
        var added = ["x-amz-date": amzDate]
        if let token = credentials.sessionToken { added["x-amz-security-token"] = token }
        added["authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(signing.scope), "
            + "SignedHeaders=\(signed.keys.sorted().joined(separator: ";")), Signature=\(signing.signature)"
        return added
    }

    /// A header value as it is signed: surrounding spaces removed and inner runs of spaces collapsed.
    public static func trim(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// `text` percent-encoded as SigV4 wants: every byte but `A-Z a-z 0-9 - _ . ~` (and `/` when `keepingSlash`).
    public static func uriEncode(_ text: String, keepingSlash: Bool = false) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var output = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                output.append(byte)
            case UInt8(ascii: "/") where keepingSlash:
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `seconds` since 1970 as SigV4's date (`20150830T123600Z`).
    public static func amzDate(_ seconds: Double) -> String {
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 20)
        let count = strftime(&buffer, buffer.count, "%Y%m%dT%H%M%SZ", &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The lower-case hex SHA-256 of `bytes` (a payload hash).
    public static func payloadHash(_ bytes: [UInt8]) -> String { hexEncoded(sha256(bytes)) }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        SHA256(bytes, bytes.count, &digest)
        return digest
    }

    static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &output, &length)
        return output
    }

}
