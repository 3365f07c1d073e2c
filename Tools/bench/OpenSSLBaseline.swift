import Transport
import COpenSSL

/// The floor under JWT verification on this machine: OpenSSL verifying a SHA-256 digest with a context prepared
/// once (what `openssl speed rsa2048` / `ecdsap256` measure), so ratios are taken side by side in one run.
struct OpenSSLBaseline {
    private let key: OpaquePointer
    private let context: OpaquePointer
    private let digest = [UInt8](repeating: 0x5A, count: 32)
    private let signature: [UInt8]

    /// `type` is `RSA` (2048 bits) or `EC` (`P-256`).
    init?(type: String) {
        guard let generator = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(generator) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(generator) == 1,
              type != "RSA" || EVP_PKEY_CTX_set_rsa_keygen_bits(generator, 2048) == 1,
              type != "EC" || EVP_PKEY_CTX_set_group_name(generator, "P-256") == 1,
              EVP_PKEY_generate(generator, &key) == 1, let key,
              let signer = EVP_PKEY_CTX_new_from_pkey(nil, key, nil), EVP_PKEY_sign_init(signer) == 1,
              EVP_PKEY_CTX_set_signature_md(signer, EVP_sha256()) == 1
        else { return nil }
        defer { EVP_PKEY_CTX_free(signer) }
        var length = 0
        var signature = [UInt8](repeating: 0, count: 512)
        length = signature.count
        guard EVP_PKEY_sign(signer, &signature, &length, digest, digest.count) == 1,
              let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil), EVP_PKEY_verify_init(context) == 1,
              EVP_PKEY_CTX_set_signature_md(context, EVP_sha256()) == 1
        else { return nil }
        self.key = key
        self.context = context
        self.signature = Array(signature[0..<length])
    }

    /// One verification; false would mean the baseline itself is broken.
    func verify() -> Bool {
        EVP_PKEY_verify(context, signature, signature.count, digest, digest.count) == 1
    }
}

/// Rates of `first` and `second` measured in alternating slices, so machine noise hits both alike.
func interleavedRates(slices: Int = 12, secondsPerSlice: Double = 0.15, _ first: () throws -> Void,
                      _ second: () throws -> Void) throws -> (Double, Double) {
    var counts = (0, 0)
    var nanoseconds: (UInt64, UInt64) = (0, 0)
    for _ in 0..<slices {
        for which in 0..<2 {
            let start = monotonicNanoseconds()
            let end = start + UInt64(secondsPerSlice * 1e9)
            var now = start
            var count = 0
            while now < end {
                for _ in 0..<50 { if which == 0 { try first() } else { try second() } }
                count += 50
                now = monotonicNanoseconds()
            }
            if which == 0 { counts.0 += count; nanoseconds.0 += now - start } else { counts.1 += count; nanoseconds.1 += now - start }
        }
    }
    return (Double(counts.0) / (Double(nanoseconds.0) / 1e9), Double(counts.1) / (Double(nanoseconds.1) / 1e9))
}
