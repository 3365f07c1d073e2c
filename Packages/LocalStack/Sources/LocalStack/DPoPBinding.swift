import FoundationEssentials
import HTTP
import JSON
@_spi(Gatehouse) import JWT
import Synchronization
import Transport

/// DPoP at the dev identity provider's token endpoint (RFC 9449 §5, §8): a token request carrying a `DPoP` proof
/// gets tokens bound to the proof's key — the access token's `cnf.jkt`, `token_type: DPoP` — so a copy of the token
/// is worthless without the key. The provider hands out its nonce (`DPoP-Nonce` on every DPoP answer); a proof
/// that carries a nonce must carry that one (`use_dpop_nonce` otherwise), and each proof is accepted once.
extension IdentityProvider {
    /// The key thumbprint the tokens being issued are bound to, for `issue` (set around one token request).
    @TaskLocal static var boundKey: String?

    /// What a token request's `DPoP` header says about its tokens.
    enum Binding {
        /// No proof: bearer tokens.
        case none
        /// Tokens bound to the key with this thumbprint.
        case key(String)
        /// The proof is refused, as RFC 9449 answers it.
        case refused(HTTPResponse)
    }

    /// The binding of a token request's tokens: none without a `DPoP` header, else the proof checked for `POST` to the
    /// token endpoint, a nonce it carries against the provider's, and first use; a refusal is 400
    /// `invalid_dpop_proof`, or `use_dpop_nonce` with the nonce to use.
    func dpopBinding(of request: HTTPRequest) -> Binding {
        let proofs = request.headers.filter { $0.name.lowercased() == "dpop" }
        guard !proofs.isEmpty else { return .none }
        func refuse(_ error: String, _ description: String) -> Binding {
            var response = oauthError(.badRequest, error, description)
            response.headers["dpop-nonce"] = dpopNonces.current(now: currentTime())
            return .refused(response)
        }
        guard proofs.count == 1 else { return refuse("invalid_dpop_proof", "one DPoP header, not \(proofs.count)") }
        let now = currentTime()
        let proof: DPoP.Proof
        do {
            proof = try DPoP.verify(proofs[0].value, method: "POST", url: tokenEndpoint(calledAs: request), accessToken: nil,
                                    now: now, maxAge: 60)
        } catch {
            return refuse("invalid_dpop_proof", error.description)
        }
        if let nonce = proof.nonce, !dpopNonces.accepts(nonce, now: now) {
            return refuse("use_dpop_nonce", "the DPoP proof's nonce is not the server's")
        }
        guard seenProofs.firstUse(proof.id, now: now) else { return refuse("invalid_dpop_proof", "the proof was used before") }
        return .key(proof.thumbprint)
    }
}

extension IdentityProvider {
    /// The token endpoint's URL as the client called it: the issuer's (`127.0.0.1`), or the same port at `localhost`
    /// when the client came that way (a browser page served there) — a proof's `htu` names the URL its client used.
    func tokenEndpoint(calledAs request: HTTPRequest) -> String {
        let endpoint = issuer + "oauth/token"
        guard let host = request.header("host"), host.hasPrefix("localhost:"),
              let issuerHost = endpoint.split(separator: "/").dropFirst().first, issuerHost.hasPrefix("127.0.0.1:"),
              host.dropFirst("localhost".count) == issuerHost.dropFirst("127.0.0.1".count) else { return endpoint }
        return endpoint.replacing("//" + issuerHost + "/", with: "//" + host + "/", maxReplacements: 1)
    }
}

/// The provider's DPoP nonces: one current value, replaced every five minutes; the one before stays accepted until
/// the next change, so a client that just fetched it is not refused at the turn.
final class DPoPNonces: Sendable {
    private let state = Mutex<(current: String, previous: String?, since: Double)>((PKCE.randomToken(bytes: 16), nil, 0))

    func current(now: Double) -> String {
        state.withLock { state in
            if now - state.since >= 300 {
                state = (PKCE.randomToken(bytes: 16), state.since == 0 ? nil : state.current, now)
            }
            return state.current
        }
    }

    func accepts(_ nonce: String, now: Double) -> Bool {
        let current = current(now: now)
        return nonce == current || state.withLock { $0.previous } == nonce
    }
}
