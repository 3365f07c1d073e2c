@_spi(Gatehouse) import JSON
import Glibc

/// Size limits applied before any decoding, so hostile input is refused in time proportional to its prefix.
public struct JWSLimits: Sendable {
    /// Longest accepted token, in bytes (API Gateway's header limit is around 10 KB).
    public var maxTokenBytes = 16 * 1024
    /// Longest accepted encoded header segment, in bytes.
    public var maxHeaderBytes = 2 * 1024

    /// The defaults.
    public init() {}
}

/// A JWS in compact serialization (RFC 7515 §7.1), split and decoded, not yet verified.
struct CompactJWS {
    let header: JWSHeader
    let payload: [UInt8]
    let signature: [UInt8]
    /// Length of `BASE64URL(header).BASE64URL(payload)`, the signed bytes.
    let signingInputCount: Int

    static func parse(_ token: UnsafeRawBufferPointer, limits: JWSLimits) throws(JWTError) -> CompactJWS {
        guard !token.isEmpty else { throw JWTError(.malformed, "empty token") }
        guard token.count <= limits.maxTokenBytes else { throw JWTError(.malformed, "token longer than \(limits.maxTokenBytes) bytes") }
        guard let firstDot = position(of: ".", in: token, from: 0),
              let secondDot = position(of: ".", in: token, from: firstDot + 1),
              position(of: ".", in: token, from: secondDot + 1) == nil
        else { throw JWTError(.malformed, "a compact JWS has exactly three segments") }
        let headerPart = UnsafeRawBufferPointer(rebasing: token[0..<firstDot])
        let payloadPart = UnsafeRawBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])
        let signaturePart = UnsafeRawBufferPointer(rebasing: token[(secondDot + 1)...])
        guard !headerPart.isEmpty else { throw JWTError(.malformed, "empty header segment") }
        guard !signaturePart.isEmpty else { throw JWTError(.malformed, "empty signature segment") }
        guard headerPart.count <= limits.maxHeaderBytes else { throw JWTError(.malformed, "header segment too long") }
        guard let headerBytes = Base64URL.decode(headerPart) else { throw JWTError(.malformed, "header is not base64url") }
        guard let payload = Base64URL.decode(payloadPart) else { throw JWTError(.malformed, "payload is not base64url") }
        guard let signature = Base64URL.decode(signaturePart) else { throw JWTError(.malformed, "signature is not base64url") }
        let index: JSONObjectIndex
        do {
            index = try JSONObjectIndex(headerBytes)
        } catch {
            throw JWTError(.malformed, "header: \(error.reason)")
        }
        return CompactJWS(header: try JWSHeader(index: index), payload: payload, signature: signature,
                          signingInputCount: secondDot)
    }

    /// The offset of the first `byte` at or after `start` (`memchr`: the token is mostly one long segment).
    private static func position(of byte: Unicode.Scalar, in token: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < token.count, let base = token.baseAddress,
              let found = memchr(base + start, Int32(byte.value), token.count - start)
        else { return nil }
        return UnsafeRawPointer(found) - base
    }
}

/// Verifies the signature of a compact JWS against a key set; the payload may be any bytes.
@_spi(Gatehouse) public enum JWS {
    /// The verified header and payload of `token`; throws when the token is malformed, no key fits, or the
    /// signature is wrong.
    public static func verify(_ token: String, keys: JWKSet, limits: JWSLimits = JWSLimits())
        throws(JWTError) -> (header: JWSHeader, payload: [UInt8])
    {
        let jws = try withUTF8(of: token) { bytes throws(JWTError) in try verify(bytes, keys: keys, limits: limits) }
        return (jws.header, jws.payload)
    }

    static func verify(_ token: UnsafeRawBufferPointer, keys: JWKSet, limits: JWSLimits) throws(JWTError) -> CompactJWS {
        let jws = try CompactJWS.parse(token, limits: limits)
        let key = try keys.key(for: jws.header)
        let message = UnsafeRawBufferPointer(rebasing: token[0..<jws.signingInputCount])
        guard key.verify(jws.header.algorithm, message: message, signature: jws.signature) else {
            throw JWTError(.invalidSignature, "signature verification failed")
        }
        return jws
    }
}
