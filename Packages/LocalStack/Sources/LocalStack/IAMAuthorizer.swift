import JSON
import Glibc
import HTTP
import AWS

/// `Authorizer: AWS_IAM` as API Gateway runs it: a SigV4 signature (`us-east-1`, `execute-api`) by one of the dev
/// IAM identities, recomputed from the request as received. Every refusal is API Gateway's: 403, its message and
/// its `x-amzn-ErrorType` (an unsigned request is `Missing Authentication Token` on REST, `Forbidden` on an HTTP API).
struct IAMAuthorizer: Sendable {
    /// A dev IAM user (`dev/identities.json`, `iam`).
    struct Identity: Decodable, Sendable, Equatable {
        var accessKeyId: String
        var secretAccessKey: String
        /// `arn:aws:iam::123456789012:user/dev-service`.
        var arn: String
        /// The user's unique id (`AIDA…`), API Gateway's `caller` and `user`.
        var userId: String

        /// The account the ARN names.
        var accountId: String { arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? "" }
    }

    static let region = "us-east-1"
    static let service = "execute-api"
    /// How far a signature's time may be from the clock, either way.
    static let skewSeconds = 300.0

    let identities: [Identity]
    /// The service signatures must be scoped to (`execute-api` for the gateway, `verifiedpermissions` at `/avp`).
    var signingService = IAMAuthorizer.service

    /// The signing identity, or API Gateway's refusal. `path` is the path as the client sent it (with a stage
    /// prefix); `now` the gateway's clock.
    func authorize(_ request: HTTPRequest, path: String, api: LocalTemplate.APIKind,
                   now: Double) -> Result<Identity, GatewayRefusal> {
        guard let header = GatewayEvents.headerValue(request, "authorization", api: .rest) else {
            return .failure(GatewayRefusal(nil, reason: "no signature", api == .rest
                ? Self.refusal("MissingAuthenticationTokenException", "Missing Authentication Token")
                : .message(.forbidden, "Forbidden")))
        }
        let amzDate = GatewayEvents.headerValue(request, "x-amz-date", api: .rest)
        let parameters = Self.parameters(of: header)
        let missing = ["Credential", "Signature", "SignedHeaders"].filter { parameters[$0] == nil }
        guard missing.isEmpty, let amzDate else {
            let sentences = missing.map { "Authorization header requires '\($0)' parameter." }
                + (amzDate == nil ? ["Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."] : [])
            return .failure(Self.refused("IncompleteSignatureException", (sentences + ["Authorization=\(header)"]).joined(separator: " ")))
        }
        let credential = parameters["Credential"]!.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard credential.count == 5 else {
            return .failure(Self.refused("IncompleteSignatureException", "Credential must have exactly 5 slash-delimited "
                + "elements, e.g. keyid/date/region/service/term, got '\(parameters["Credential"]!)'"))
        }
        guard let identity = identities.first(where: { $0.accessKeyId == credential[0] }),
              GatewayEvents.headerValue(request, "x-amz-security-token", api: .rest) == nil else {
            return .failure(Self.refused("UnrecognizedClientException", "The security token included in the request is invalid."))
        }
        if credential[2] != Self.region {
            return .failure(Self.refused("InvalidSignatureException", "Credential should be scoped to a valid region, not '\(credential[2])'. "))
        }
        if credential[3] != signingService || credential[4] != "aws4_request" {
            return .failure(Self.refused("InvalidSignatureException", "Credential should be scoped to correct service: '\(signingService)'. "))
        }
        guard credential[1] == String(amzDate.prefix(8)) else {
            return .failure(Self.refused("InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from "
                + "ISO-8601 version of date from HTTP: '\(credential[1])' != '\(amzDate.prefix(8))', from '\(amzDate)'."))
        }
        if let refusal = Self.skewRefusal(amzDate: amzDate, now: now) { return .failure(refusal) }
        let signedNames = parameters["SignedHeaders"]!.split(separator: ";").map { $0.lowercased() }
        guard signedNames.contains("host") else {
            return .failure(Self.refused("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."))
        }
        let expected = SigV4(credentials: AWSCredentials(accessKeyID: identity.accessKeyId, secretAccessKey: identity.secretAccessKey),
                             region: Self.region, service: signingService)
            .signing(method: request.method, canonicalPath: SigV4.uriEncode(path, keepingSlash: true),
                     canonicalQuery: Self.canonicalQuery(request.query),
                     headers: Self.signedHeaders(signedNames, of: request),
                     payloadHash: SigV4.payloadHash(request.body), amzDate: amzDate)
        // A name listed twice signs no canonical request this side would make: a mismatch.
        guard Set(signedNames).count == signedNames.count, constantTimeEqual(expected.signature, parameters["Signature"]!) else {
            return .failure(Self.refused("InvalidSignatureException", "The request signature we calculated does not match the "
                + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
                + "documentation for details.\n\nThe Canonical String for this request should have been\n'"
                + expected.canonicalRequest + "'\n\nThe String-to-Sign should have been\n'" + expected.stringToSign + "'\n"))
        }
        return .success(identity)
    }

    /// `requestContext.identity` of a REST event signed by `identity` (beside `sourceIp` and `userAgent`).
    static func restIdentity(_ identity: Identity) -> APIGatewayV1Request.RequestContext.Identity {
        .init(userArn: identity.arn, accessKey: identity.accessKeyId, accountId: identity.accountId,
              caller: identity.userId, user: identity.userId)
    }

    /// `requestContext.authorizer` of an HTTP API event signed by `identity`.
    static func httpAuthorizer(_ identity: Identity) -> APIGatewayV2Request.RequestContext.Authorizer {
        .init(iam: [
            "accessKey": .string(identity.accessKeyId), "accountId": .string(identity.accountId),
            "callerId": .string(identity.userId), "cognitoIdentity": .null, "principalOrgId": .null,
            "userArn": .string(identity.arn), "userId": .string(identity.userId),
        ])
    }

    /// `Credential`, `SignedHeaders` and `Signature` of an `AWS4-HMAC-SHA256 …` header; none for another scheme.
    private static func parameters(of header: String) -> [String: String] {
        let scheme = "AWS4-HMAC-SHA256 "
        guard header.hasPrefix(scheme) else { return [:] }
        var parameters: [String: String] = [:]
        for part in header.dropFirst(scheme.count).split(separator: ",") {
            let pair = part.drop { $0 == " " }.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { parameters[String(pair[0])] = String(pair[1]) }
        }
        return parameters
    }

    /// Each signed header's value as signed: its values trimmed and comma-joined (empty when the request lacks it).
    private static func signedHeaders(_ names: [String], of request: HTTPRequest) -> [String: String] {
        let groups = GatewayEvents.groupedHeaders(request)
        return Dictionary(names.map { name in
            (name, groups.first { $0.name.lowercased() == name }?.values.map(SigV4.trim).joined(separator: ",") ?? "")
        }) { first, _ in first }  // a name listed twice is refused by the caller
    }

    /// The query's parameters encoded and sorted by name, then value.
    private static func canonicalQuery(_ query: [String: [String]]) -> String {
        query.flatMap { name, values in values.map { (SigV4.uriEncode(name), SigV4.uriEncode($0)) } }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// API Gateway's refusal of a signature more than five minutes from `now`, either way; nil when within.
    private static func skewRefusal(amzDate: String, now: Double) -> GatewayRefusal? {
        guard let signed = epochSeconds(amzDate) else {
            return refused("IncompleteSignatureException", "X-Amz-Date must be in the ISO8601 Long Format (yyyyMMdd'T'HHmmss'Z')")
        }
        if signed < now - skewSeconds {
            return refused("InvalidSignatureException", "Signature expired: \(amzDate) is now earlier than "
                + "\(SigV4.amzDate(now - skewSeconds)) (\(SigV4.amzDate(now)) - 5 min.)")
        }
        if signed > now + skewSeconds {
            return refused("InvalidSignatureException", "Signature not yet current: \(amzDate) is still later than "
                + "\(SigV4.amzDate(now + skewSeconds)) (\(SigV4.amzDate(now)) + 5 min.)")
        }
        return nil
    }

    /// `20150830T123600Z` as seconds since 1970; nil when not that form.
    static func epochSeconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            bytes[range].allSatisfy { (0x30...0x39).contains($0) } ? Int32(String(decoding: bytes[range], as: UTF8.self)) : nil
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
              let minute = number(11..<13), let second = number(13..<15),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (year - 1900, month - 1, day)
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (hour, minute, second)
        return Double(timegm(&parts))
    }

    private static func refused(_ type: String, _ message: String) -> GatewayRefusal {
        GatewayRefusal(nil, reason: type == "MissingAuthenticationTokenException" ? "no signature" : "invalid signature",
                       refusal(type, message))
    }

    /// 403 `{"message":…}` with `x-amzn-ErrorType: type`.
    private static func refusal(_ type: String, _ message: String) -> HTTPResponse {
        var response = HTTPResponse.message(.forbidden, message)
        response.headers["x-amzn-errortype"] = type
        return response
    }
}
