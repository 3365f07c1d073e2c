import JSON
@_spi(Gatehouse) public import JWT
import Transport

/// Checks a DPoP-bound access token and its proof for one request, as a resource server does (RFC 9449 §7): the
/// `DPoP` scheme (a bound token sent as a bearer token is refused), the token verified as `tokens` verifies bearer
/// tokens and bound by `cnf.jkt`, and a proof for this method and URL, from that key, carrying the token's hash, fresh
/// and used once.
public struct DPoPTokenVerifier: Sendable {
    /// Why a request was refused, in RFC 9449 §7.1's terms.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// The token is missing, not a DPoP token, invalid, or bound to another key: `error="invalid_token"`.
        case invalidToken(String)
        /// The proof is missing, malformed, stale, replayed or for another request: `error="invalid_dpop_proof"`.
        case invalidProof(String)

        /// The `error` of a `WWW-Authenticate: DPoP` challenge.
        public var error: String {
            switch self {
            case .invalidToken: "invalid_token"
            case .invalidProof: "invalid_dpop_proof"
            }
        }

        /// One line: the error and why.
        public var description: String {
            switch self {
            case .invalidToken(let reason), .invalidProof(let reason): "\(error): \(reason)"
            }
        }
    }

    private let tokens: BearerTokenVerifier
    private let maxAge: Double
    private let replays: DPoPReplayCache

    /// Verifies tokens with `tokens` and accepts proofs at most `maxAge` seconds old (plus 5 s of clock leeway), each
    /// once: their ids are kept for as long as the proof could be accepted.
    public init(tokens: BearerTokenVerifier, maxAge: Double = 60) {
        self.tokens = tokens
        self.maxAge = maxAge
        replays = DPoPReplayCache(lifetime: maxAge + 10)
    }

    /// The verified token and its key's thumbprint, for a request with `method` to `url` (scheme, host, port and
    /// path, as the client called it) carrying `authorization` and `proof` (the `DPoP` header), at `now`.
    public func verify(authorization: String?, proof: String?, method: String, url: String,
                       now: Double) async throws(Refusal) -> (token: VerifiedJWT, thumbprint: String) {
        guard let authorization, authorization.count > 5, authorization.prefix(5).lowercased() == "dpop " else {
            throw .invalidToken("the request does not use the DPoP scheme")
        }
        let raw = String(authorization.dropFirst(5)).trimming(" ")
        let token: VerifiedJWT
        do {
            token = try await tokens.verifyBound(raw)
        } catch {
            throw .invalidToken(error.reason)
        }
        guard let bound = token.claims["cnf"]?.objectValue?["jkt"]?.stringValue else {
            throw .invalidToken("the token is not bound to a key (no cnf.jkt)")
        }
        guard let proof, !proof.isEmpty else { throw .invalidProof("no DPoP proof") }
        let checked: DPoP.Proof
        do {
            checked = try DPoP.verify(proof, method: method, url: url, accessToken: raw, now: now, maxAge: maxAge)
        } catch {
            throw .invalidProof(error.description)
        }
        guard checked.thumbprint == bound else {
            throw .invalidToken("the proof's key is not the key the token is bound to")
        }
        // Last, so a proof refused for another reason does not use up its id.
        guard replays.firstUse(checked.id, now: now) else { throw .invalidProof("the proof was used before") }
        return (token, checked.thumbprint)
    }
}
