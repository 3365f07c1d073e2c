import COpenSSL
import Glibc

/// An OpenSSL key object, built once from JWK members and shared read-only between threads.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let isPrivate: Bool

    init(owning pointer: OpaquePointer, isPrivate: Bool) {
        self.pointer = pointer
        self.isPrivate = isPrivate
    }

    deinit { EVP_PKEY_free(pointer) }

    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// An RSA key from big-endian components; private when `d` and the CRT values are given.
    static func rsa(n: [UInt8], e: [UInt8], privateParts: [String: [UInt8]]? = nil) throws(JWTError) -> EVPKey {
        var parameters: [KeyParameter] = [.number("n", n), .number("e", e)]
        if let privateParts {
            let names = [("d", "d"), ("p", "rsa-factor1"), ("q", "rsa-factor2"), ("dp", "rsa-exponent1"),
                         ("dq", "rsa-exponent2"), ("qi", "rsa-coefficient1")]
            for (member, name) in names {
                if let value = privateParts[member] { parameters.append(.number(name, value)) }
            }
        }
        return try fromData(type: "RSA", isPrivate: privateParts != nil, parameters)
    }

    /// An EC key on `group` (`P-256`, `P-384`, `P-521`) from affine coordinates; checked to be on the curve.
    static func ec(group: String, x: [UInt8], y: [UInt8], d: [UInt8]?) throws(JWTError) -> EVPKey {
        var parameters: [KeyParameter] = [.text("group", group), .octets("pub", [0x04] + x + y)]
        if let d { parameters.append(.number("priv", d)) }
        let key = try fromData(type: "EC", isPrivate: d != nil, parameters)
        let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil)
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_public_check(context) == 1 else {
            ERR_clear_error()
            throw JWTError(.invalidKey, "EC point is not on the curve")
        }
        return key
    }

    /// An Ed25519 key from its 32-byte public (and optionally private) value.
    static func ed25519(x: [UInt8], d: [UInt8]?) throws(JWTError) -> EVPKey {
        guard x.count == 32, d == nil || d!.count == 32 else { throw JWTError(.invalidKey, "Ed25519 keys are 32 bytes") }
        let pointer: OpaquePointer? = if let d {
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, d, d.count)
        } else {
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, x, x.count)
        }
        guard let pointer else { throw JWTError(.invalidKey, "Ed25519 key refused: \(openSSLErrorLine())") }
        let key = EVPKey(owning: pointer, isPrivate: d != nil)
        if d != nil, key.rawPublicKey() != x { throw JWTError(.invalidKey, "Ed25519 x does not match d") }
        return key
    }

    /// Generates a key: RSA of `rsaBits`, an EC key on `group`, or Ed25519.
    static func generate(type: String, group: String? = nil, rsaBits: Int = 2048) throws(JWTError) -> EVPKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw JWTError(.invalidKey, "cannot generate \(type) keys")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var pointer: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              type != "RSA" || EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(rsaBits)) == 1,
              group == nil || EVP_PKEY_CTX_set_group_name(context, group) == 1,
              EVP_PKEY_generate(context, &pointer) == 1, let pointer
        else { throw JWTError(.invalidKey, "key generation failed: \(openSSLErrorLine())") }
        return EVPKey(owning: pointer, isPrivate: true)
    }

    // MARK: - Export

    /// A big-number parameter (`n`, `e`, `d`, `priv`, `rsa-factor1`…), big-endian, padded to `size` when given.
    func bigNumber(_ name: String, size: Int? = nil) -> [UInt8]? {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &number) == 1, let number else { return nil }
        defer { BN_clear_free(number) }
        let length = size ?? Int((BN_num_bits(number) + 7) / 8)
        var bytes = [UInt8](repeating: 0, count: max(length, 1))
        guard BN_bn2binpad(number, &bytes, Int32(bytes.count)) >= 0 else { return nil }
        return bytes
    }

    /// The uncompressed EC public point `04‖x‖y`.
    func ecPublicPoint() -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 133)
        var length = 0
        guard EVP_PKEY_get_octet_string_param(pointer, "pub", &bytes, bytes.count, &length) == 1 else { return nil }
        return Array(bytes[0..<length])
    }

    func rawPublicKey() -> [UInt8]? { raw(EVP_PKEY_get_raw_public_key) }
    func rawPrivateKey() -> [UInt8]? { raw(EVP_PKEY_get_raw_private_key) }

    private func raw(_ get: (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> Int32)
        -> [UInt8]?
    {
        var length = 0
        guard get(pointer, nil, &length) == 1 else { return nil }
        var bytes = [UInt8](repeating: 0, count: length)
        guard get(pointer, &bytes, &length) == 1 else { return nil }
        return bytes
    }

    // MARK: - Construction

    /// One `OSSL_PARAM` to build a key from.
    enum KeyParameter {
        case number(String, [UInt8])
        case text(String, String)
        case octets(String, [UInt8])
    }

    /// Builds a key with `EVP_PKEY_fromdata`. OpenSSL keeps the names and values by reference until the parameter
    /// array is made, so every one is copied into memory that lives until then.
    private static func fromData(type: String, isPrivate: Bool, _ parameters: [KeyParameter]) throws(JWTError) -> EVPKey {
        guard let builder = OSSL_PARAM_BLD_new() else { throw JWTError(.invalidKey, "out of memory") }
        var strings: [UnsafeMutablePointer<CChar>?] = []
        var buffers: [UnsafeMutableRawBufferPointer] = []
        var numbers: [OpaquePointer?] = []
        defer {
            OSSL_PARAM_BLD_free(builder)
            strings.forEach { free($0) }
            buffers.forEach { $0.deallocate() }
            numbers.forEach { BN_clear_free($0) }
        }
        var pushed = true
        for parameter in parameters {
            switch parameter {
            case .number(let name, let value):
                let number = BN_bin2bn(value, Int32(value.count), nil)
                numbers.append(number)
                strings.append(strdup(name))
                pushed = pushed && OSSL_PARAM_BLD_push_BN(builder, strings.last!, number) == 1
            case .text(let name, let value):
                strings.append(strdup(name))
                let key = strings.last!
                strings.append(strdup(value))
                pushed = pushed && OSSL_PARAM_BLD_push_utf8_string(builder, key, strings.last!, 0) == 1
            case .octets(let name, let value):
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: value.count, alignment: 1)
                buffer.copyBytes(from: value)
                buffers.append(buffer)
                strings.append(strdup(name))
                pushed = pushed && OSSL_PARAM_BLD_push_octet_string(builder, strings.last!, buffer.baseAddress, value.count) == 1
            }
        }
        guard pushed, let built = OSSL_PARAM_BLD_to_param(builder) else {
            throw JWTError(.invalidKey, "\(type) key parameters refused")
        }
        defer { OSSL_PARAM_free(built) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw JWTError(.invalidKey, "\(type) keys are not available")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var pointer: OpaquePointer?
        let selection = isPrivate ? gatehouse_select_key_pair() : gatehouse_select_public_key()
        guard EVP_PKEY_fromdata_init(context) == 1,
              EVP_PKEY_fromdata(context, &pointer, selection, built) == 1, let pointer
        else { throw JWTError(.invalidKey, "\(type) key refused: \(openSSLErrorLine())") }
        return EVPKey(owning: pointer, isPrivate: isPrivate)
    }
}
