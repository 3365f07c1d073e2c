import COpenSSL

/// A salted PBKDF2-HMAC-SHA256 password hash (OWASP's 2023 work factor: 600,000 iterations), for services that
/// keep passwords and issue their own tokens. It lives beside the signing code so apps reach OpenSSL only here.
public struct PasswordHash: Sendable, Equatable {
    /// The iteration count new hashes use.
    public static let iterations = 600_000

    /// The random salt.
    public let salt: [UInt8]
    /// The derived key.
    public let hash: [UInt8]
    /// The work factor it was made with.
    public let iterations: Int

    /// Hashes `password` with a fresh 16-byte salt.
    public init(password: String, iterations: Int = PasswordHash.iterations) {
        var salt = [UInt8](repeating: 0, count: 16)
        precondition(RAND_bytes(&salt, Int32(salt.count)) == 1, "OpenSSL's random generator failed")
        self.init(salt: salt, hash: Self.derive(password, salt: salt, iterations: iterations), iterations: iterations)
    }

    /// A stored hash.
    public init(salt: [UInt8], hash: [UInt8], iterations: Int) {
        self.salt = salt
        self.hash = hash
        self.iterations = iterations
    }

    /// Whether `password` matches, compared in constant time.
    public func matches(_ password: String) -> Bool {
        let candidate = Self.derive(password, salt: salt, iterations: iterations)
        return candidate.count == hash.count && CRYPTO_memcmp(candidate, hash, hash.count) == 0
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        let bytes = Array(password.utf8)
        _ = bytes.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { characters in
                PKCS5_PBKDF2_HMAC(characters.baseAddress, Int32(bytes.count), salt, Int32(salt.count), Int32(iterations),
                                  EVP_sha256(), Int32(output.count), &output)
            }
        }
        return output
    }
}
