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

/// The most recent OpenSSL error, as one line, for key-construction failures (never about secret data).
func openSSLErrorLine() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0, let text = ERR_reason_error_string(code) else { return "OpenSSL error" }
    return String(cString: text)
}
