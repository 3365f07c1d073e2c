import AWS
import COpenSSL
import Storage

/// The random values and one-way digests of the session store: secrets are made by OpenSSL's generator and only
/// their SHA-256 is ever stored, so a copy of the table holds nothing that can be presented.
enum SessionSecrets {
    /// `bytes` random bytes from OpenSSL, as lowercase hex.
    static func randomHex(bytes: Int) -> String {
        var buffer = [UInt8](repeating: 0, count: bytes)
        precondition(RAND_bytes(&buffer, Int32(bytes)) == 1, "OpenSSL's random generator failed")
        return hexEncoded(buffer)
    }

    /// The SHA-256 of `secret`'s UTF-8 bytes, as lowercase hex. Enough for 256-bit random secrets: nothing to
    /// guess, so no salt or stretching is needed (unlike passwords).
    static func digest(_ secret: String) -> String {
        let bytes = Array(secret.utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256(bytes, bytes.count, &digest)
        return hexEncoded(digest)
    }

}
