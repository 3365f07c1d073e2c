import COpenSSL

/// Proof Key for Code Exchange (RFC 7636) as an authorization server checks it: a code is bound to the
/// `code_challenge` a client sent with its authorization request, and only the `code_verifier` behind that challenge
/// redeems it. Only `S256` is offered (`plain` shows the secret it is meant to hide).
@_spi(Gatehouse) public enum PKCE {
    /// `BASE64URL(SHA256(verifier))`: the S256 challenge of `verifier`.
    public static func challenge(forVerifier verifier: String) -> String { base64URLSHA256(verifier) }

    /// Whether `text` is a verifier or a challenge as RFC 7636 §4.1 allows them: 43 to 128 characters of
    /// `A-Z a-z 0-9 - . _ ~`.
    public static func isWellFormed(_ text: String) -> Bool {
        (43...128).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
        }
    }

    /// `bytes` random bytes from OpenSSL's generator, base64url: authorization codes, login transactions, CSRF tokens.
    public static func randomToken(bytes: Int = 32) -> String {
        var buffer = [UInt8](repeating: 0, count: bytes)
        precondition(RAND_bytes(&buffer, Int32(bytes)) == 1, "OpenSSL's random generator failed")
        return Base64URL.encode(buffer)
    }
}
