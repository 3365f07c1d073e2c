import COpenSSL

/// Message digests fetched once (OpenSSL 3 otherwise re-fetches the implementation on every use).
enum OpenSSLDigest {
    nonisolated(unsafe) static let sha256 = EVP_MD_fetch(nil, "SHA256", nil)!
    nonisolated(unsafe) static let sha384 = EVP_MD_fetch(nil, "SHA384", nil)!
    nonisolated(unsafe) static let sha512 = EVP_MD_fetch(nil, "SHA512", nil)!

    static func named(_ name: String?) -> OpaquePointer? {
        switch name {
        case "SHA256": sha256
        case "SHA384": sha384
        case "SHA512": sha512
        default: nil
        }
    }
}

/// The SHA-256 of `bytes`.
func sha256Digest(_ bytes: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    SHA256(bytes, bytes.count, &digest)
    return digest
}

/// `BASE64URL(SHA256(text))`: PKCE's S256 challenge of a verifier and DPoP's `ath` of an access token alike.
func base64URLSHA256(_ text: String) -> String { Base64URL.encode(sha256Digest(Array(text.utf8))) }

/// The most recent OpenSSL error, as one line, for key-construction failures (never about secret data).
func openSSLErrorLine() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0, let text = ERR_reason_error_string(code) else { return "OpenSSL error" }
    return String(cString: text)
}
