@_spi(Gatehouse) public import JSON
import Synchronization

/// Parsed keys by thumbprint, at most 1,024 (then emptied: a flood of fresh keys costs parsing, never memory).
final class ParsedKeys: Sendable {
    private let keys = Mutex<[String: JWK]>([:])

    func key(_ thumbprint: String, parse: () throws(JWTError) -> JWK) throws(JWTError) -> JWK {
        if let known = keys.withLock({ $0[thumbprint] }) { return known }
        let key = try parse()
        keys.withLock { keys in
            if keys.count >= 1024 { keys.removeAll() }
            keys[thumbprint] = key
        }
        return key
    }
}

/// DPoP (RFC 9449): a proof JWT a client signs with its own key for each request, binding the request — and the
/// access token, through `ath` and the token's `cnf.jkt` — to a key that never leaves the client. `verify` checks a
/// proof as RFC 9449 §4.3 lists it; the replay check of its `jti` is the caller's (it needs memory across requests).
public enum DPoP {
    /// The algorithms a proof may be signed with: every asymmetric one (what discovery lists as
    /// `dpop_signing_alg_values_supported`).
    public static let algorithms = JWSAlgorithm.allCases.filter { $0.keyType != "oct" }

    /// A proof that passed every check.
    public struct Proof: Sendable, Equatable {
        /// The RFC 7638 SHA-256 thumbprint of the proof's key (what an access token's `cnf.jkt` names).
        public let thumbprint: String
        /// `jti`: unique per proof (the replay cache's key).
        public let id: String
        /// `iat`.
        public let issuedAt: Double
        /// `nonce`, when the proof carries one (for a server that rotates its nonces to check against several).
        public let nonce: String?
    }

    /// Why a proof was refused: one line, for `WWW-Authenticate: DPoP error="invalid_dpop_proof"`.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The proof `compact` checked for a request with `method` to `url` (scheme, host, port and path; query and
    /// fragment are ignored), at `now` (seconds): `typ` `dpop+jwt`, an asymmetric `alg` its public `jwk` verifies,
    /// `htm` and `htu` of this request, `iat` no older than `maxAge` and no further ahead than `leeway`, and — with an
    /// access token — `ath` its hash. With `nonce`, the proof must carry it (the server's `DPoP-Nonce`).
    public static func verify(_ compact: String, method: String, url: String, accessToken: String?, now: Double,
                              maxAge: Double = 300, leeway: Double = 5, nonce: String? = nil) throws(Failure) -> Proof {
        var limits = JWSLimits()
        limits.maxHeaderBytes = 4 * 1024  // the header carries the public key (an RSA modulus)
        let jws: CompactJWS
        do {
            jws = try withUTF8(of: compact) { bytes throws(JWTError) in try CompactJWS.parse(bytes, limits: limits) }
        } catch {
            throw Failure("the proof is not a JWS: \(error.reason)")
        }
        guard jws.header.type == "dpop+jwt" else { throw Failure("typ is not dpop+jwt") }
        guard algorithms.contains(jws.header.algorithm) else { throw Failure("alg \(jws.header.algorithm.rawValue) is not asymmetric") }
        guard case .object(let members)? = jws.header.members["jwk"] else { throw Failure("the header has no jwk") }
        guard members["d"] == nil, members["p"] == nil, members["k"] == nil else { throw Failure("the jwk holds a private key") }
        let thumbprint: String, key: JWK
        do {
            thumbprint = try self.thumbprint(ofJWK: members)
            key = try keys.key(thumbprint) { () throws(JWTError) in try JWK(members: members) }
        } catch {
            throw Failure("jwk: \(error.reason)")
        }
        guard !key.canSign else { throw Failure("the jwk holds a private key") }
        if let refusal = key.refusal(for: jws.header.algorithm) { throw Failure(refusal) }
        let verified = (try? withUTF8(of: compact) { bytes throws(JWTError) in
            key.verify(jws.header.algorithm, message: UnsafeRawBufferPointer(rebasing: bytes[0..<jws.signingInputCount]),
                       signature: jws.signature)
        }) ?? false
        guard verified else { throw Failure("the signature does not verify with the jwk") }
        let claims: [String: JSONValue]
        do { claims = try JSONValue.object(parsing: jws.payload) } catch { throw Failure("the claims are not a JSON object") }
        guard let id = claims["jti"]?.stringValue, !id.isEmpty, id.utf8.count <= 256 else { throw Failure("no jti") }
        guard claims["htm"]?.stringValue == method else { throw Failure("htm is not \(method)") }
        guard let htu = claims["htu"]?.stringValue, let expected = normalized(url), normalized(htu) == expected else {
            throw Failure("htu is not this request's URL")
        }
        guard case .number(let issuedAt)? = claims["iat"] else { throw Failure("no iat") }
        guard issuedAt >= now - maxAge, issuedAt <= now + leeway else { throw Failure("iat is outside the accepted window") }
        if let accessToken, claims["ath"]?.stringValue != accessTokenHash(accessToken) {
            throw Failure("ath is not the hash of the access token")
        }
        if let nonce, claims["nonce"]?.stringValue != nonce { throw Failure("the nonce is not the server's") }
        return Proof(thumbprint: thumbprint, id: id, issuedAt: issuedAt, nonce: claims["nonce"]?.stringValue)
    }

    /// Public keys parsed from proofs, by thumbprint: a client signs every proof with the same key, and parsing it
    /// (the point checked on its curve, an OpenSSL key built) costs more than the signature.
    private static let keys = ParsedKeys()

    /// A proof for a request with `method` to `url`, signed by `signer` (its key's public half in the header), with
    /// `ath` for `accessToken`: what a client sends in the `DPoP` header.
    public static func proof(signer: JWTSigner, method: String, url: String, accessToken: String?, now: Double,
                             id: String) throws(JWTError) -> String {
        var claims: [String: JSONValue] = ["jti": .string(id), "htm": .string(method), "htu": .string(url),
                                           "iat": .number(now.rounded(.down))]
        if let accessToken { claims["ath"] = .string(accessTokenHash(accessToken)) }
        var jwk = try signer.key.publicKey().members(includingPrivate: false)
        jwk["kid"] = nil
        return try signer.sign(claims, header: ["typ": "dpop+jwt", "jwk": .object(jwk)])
    }

    /// The RFC 7638 SHA-256 thumbprint of a public JWK: its required members (EC `crv kty x y`, RSA `e kty n`, OKP
    /// `crv kty x`) in order, as compact JSON, hashed, base64url.
    public static func thumbprint(ofJWK members: [String: JSONValue]) throws(JWTError) -> String {
        let names: [String] = switch members["kty"]?.stringValue {
        case "EC": ["crv", "kty", "x", "y"]
        case "RSA": ["e", "kty", "n"]
        case "OKP": ["crv", "kty", "x"]
        default: throw JWTError(.invalidKey, "no thumbprint for kty \(members["kty"]?.stringValue ?? "(none)")")
        }
        var canonical: [UInt8] = [UInt8(ascii: "{")]
        for (index, name) in names.enumerated() {
            guard let value = members[name]?.stringValue else { throw JWTError(.invalidKey, "JWK lacks \(name)") }
            if index > 0 { canonical.append(UInt8(ascii: ",")) }
            JSONText.appendString(name, to: &canonical)
            canonical.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &canonical)
        }
        canonical.append(UInt8(ascii: "}"))
        return Base64URL.encode(sha256Digest(canonical))
    }

    /// `ath`: base64url of the SHA-256 of the access token's ASCII.
    public static func accessTokenHash(_ token: String) -> String { base64URLSHA256(token) }

    /// `url` as RFC 9449 compares `htu`: lowercase scheme and host, the default port dropped, no query or fragment.
    static func normalized(_ url: String) -> String? {
        let withoutQuery = url.prefix { $0 != "?" && $0 != "#" }
        guard let schemeEnd = withoutQuery.firstRange(of: "://") else { return nil }
        let scheme = withoutQuery[..<schemeEnd.lowerBound].lowercased()
        let rest = withoutQuery[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = authority.lowercased()
        if (scheme == "http" && host.hasSuffix(":80")) || (scheme == "https" && host.hasSuffix(":443")) {
            host = String(host.prefix { $0 != ":" })
        }
        guard ["http", "https"].contains(scheme), !host.isEmpty, !host.contains("@") else { return nil }
        return scheme + "://" + host + (path.isEmpty ? "/" : String(path))
    }
}
