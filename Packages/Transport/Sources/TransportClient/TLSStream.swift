import Transport
import COpenSSL
import Glibc

/// TLS client settings: certificate and host-name verification always on, TLS 1.2 or newer.
final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer

    /// A context trusting the system's CA certificates (`SystemTrustStore`), or only `caFile` when given.
    init(caFile: String? = nil) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSError("cannot create a TLS context") }
        pointer = context
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        _ = gatehouse_ssl_ctx_min_tls12(context)
        let loaded = switch caFile.map(SystemTrustStore.bundle) ?? SystemTrustStore.current {
        case .bundle(let path): SSL_CTX_load_verify_locations(context, path, nil)
        case .openSSLDefaults: SSL_CTX_set_default_verify_paths(context)
        }
        guard loaded == 1 else { throw TLSError("cannot load trusted certificates") }
    }

    deinit { SSL_CTX_free(pointer) }
}

/// Why a TLS connection failed, in one line.
struct TLSError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// TLS over a connected socket, with the peer's certificate checked against `host`.
final class TLSStream: ByteStream, @unchecked Sendable {
    private let socket: Socket
    private let ssl: OpaquePointer

    init(socket: Socket, host: String, context: TLSContext) throws {
        guard let ssl = SSL_new(context.pointer) else { throw TLSError("cannot create a TLS session") }
        self.socket = socket
        self.ssl = ssl
        SSL_set_fd(ssl, socket.fd)
        _ = gatehouse_ssl_set_server_name(ssl, host)
        guard SSL_set1_host(ssl, host) == 1 else { throw TLSError("cannot set the expected host name") }
        guard SSL_connect(ssl) == 1 else {
            let verify = SSL_get_verify_result(ssl)
            ERR_clear_error()
            if verify != X509_V_OK {
                throw TLSError("certificate of \(host) refused: \(String(cString: X509_verify_cert_error_string(verify)))")
            }
            throw TLSError("TLS handshake with \(host) failed")
        }
    }

    deinit {
        SSL_shutdown(ssl)
        SSL_free(ssl)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
        if count > 0 { return Int(count) }
        let error = SSL_get_error(ssl, count)
        ERR_clear_error()
        if error == SSL_ERROR_ZERO_RETURN { return 0 }
        throw TLSError("TLS read failed")
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = SSL_write(ssl, bytes.baseAddress! + offset, Int32(bytes.count - offset))
            guard count > 0 else {
                ERR_clear_error()
                throw TLSError("TLS write failed")
            }
            offset += Int(count)
        }
    }
}
