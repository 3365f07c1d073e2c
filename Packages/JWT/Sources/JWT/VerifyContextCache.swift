import COpenSSL
import Synchronization

/// Initialised OpenSSL verification contexts, one per algorithm a key is used with. Setting up a context in
/// OpenSSL 3 (provider fetch, key context) costs more than the RSA verification itself, so each verification copies
/// a ready template instead.
final class VerifyContextCache: Sendable {
    private struct Template: @unchecked Sendable {
        let context: OpaquePointer
    }

    private let templates = Mutex<[JWSAlgorithm: Template]>([:])

    deinit {
        templates.withLock { $0.values.forEach { EVP_MD_CTX_free($0.context) } }
    }

    /// A fresh context ready for `EVP_DigestVerify`, owned by the caller; nil when OpenSSL refuses the key.
    func context(for algorithm: JWSAlgorithm, key: EVPKey) -> OpaquePointer? {
        let template = templates.withLock { cache -> Template? in
            if let existing = cache[algorithm] { return existing }
            guard let made = AsymmetricSignature.verificationContext(algorithm, key: key) else { return nil }
            cache[algorithm] = Template(context: made)
            return cache[algorithm]
        }
        guard let template, let copy = EVP_MD_CTX_new() else { return nil }
        guard EVP_MD_CTX_copy_ex(copy, template.context) == 1 else {
            EVP_MD_CTX_free(copy)
            ERR_clear_error()
            return AsymmetricSignature.verificationContext(algorithm, key: key)
        }
        return copy
    }
}
