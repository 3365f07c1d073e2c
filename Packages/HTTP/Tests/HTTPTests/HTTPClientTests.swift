@testable import TransportClient
import Glibc
import Transport
import Testing
@_spi(Gatehouse) @testable import HTTP

/// The client against our own server (plain HTTP) and a real `openssl s_server` (TLS).
@Suite struct HTTPClientTests {
    @Test func plainHTTPAndNoRedirects() async throws {
        let server = try HTTPServer { request in
            switch request.path {
            case "/moved": HTTPResponse(status: HTTPStatus(rawValue: 302), headers: ["location": "/elsewhere"])
            case "/big": HTTPResponse(status: .ok, body: [UInt8](repeating: 66, count: 4096))
            default: .message(.ok, request.header("x-test") ?? "")
            }
        }
        defer { server.shutdown() }
        var options = HTTPClient.Options()
        options.maxResponseBytes = 1024
        let client = try HTTPClient(options: options)
        let base = "http://127.0.0.1:\(server.port)"
        let echoed = try await client.get(base + "/hello?x=1", headers: [("X-Test", "yes")])
        #expect(echoed.status == 200 && String(decoding: echoed.body, as: UTF8.self) == #"{"message":"yes"}"#)
        let moved = try await client.get(base + "/moved")
        #expect(moved.status == 302 && moved.header("Location") == "/elsewhere")
        await #expect(throws: HTTPClient.Failure.self) { try await client.get(base + "/big") }
        await #expect(throws: HTTPClient.Failure.self) { try await client.get("ftp://example.com/") }
        await #expect(throws: HTTPClient.Failure.self) { try await client.get("http://127.0.0.1:1/") }
    }

    @Test(.enabled(if: OpenSSLServer.available, "skipped: the openssl command is not installed"))
    func tlsVerifiesCertificateAndHostName() async throws {
        let server = try OpenSSLServer.start()
        defer { server.stop() }
        var trusting = HTTPClient.Options()
        trusting.trustedCAFile = server.certificate
        let client = try HTTPClient(options: trusting)
        let ok = try await client.get("https://localhost:\(server.port)/")
        #expect(ok.status == 200)
        #expect(String(decoding: ok.body, as: UTF8.self).contains("s_server"))

        // The certificate names localhost only: asking for 127.0.0.1 must fail the host check.
        await #expect { try await client.get("https://127.0.0.1:\(server.port)/") } throws: { error in
            "\(error)".contains("refused")
        }
        // The system store does not trust a self-signed certificate.
        await #expect(throws: HTTPClient.Failure.self) { try await HTTPClient().get("https://localhost:\(server.port)/") }
    }
}

/// Which CA certificates a client trusts when the test names none: a bootstrap carries its own OpenSSL, whose
/// build-time folder (Debian's) does not exist on Amazon Linux 2023, so the distribution's bundle is found instead.
@Suite struct SystemTrustStoreTests {
    @Test func amazonLinuxBundleIsFoundWhereOpenSSLsFolderIsMissing() {
        let amazonLinux: Set = ["/etc/pki/tls/certs/ca-bundle.crt"]
        #expect(SystemTrustStore.find(environment: { _ in nil }, exists: amazonLinux.contains)
            == .bundle("/etc/pki/tls/certs/ca-bundle.crt"))
        let debian: Set = ["/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/cert.pem"]
        #expect(SystemTrustStore.find(environment: { _ in nil }, exists: debian.contains)
            == .bundle("/etc/ssl/certs/ca-certificates.crt"))
    }

    @Test func openSSLVariablesWinAndNoBundleFallsBackToOpenSSL() {
        let everything: (String) -> Bool = { _ in true }
        #expect(SystemTrustStore.find(environment: { $0 == "SSL_CERT_FILE" ? "/custom.pem" : nil }, exists: everything)
            == .openSSLDefaults)
        #expect(SystemTrustStore.find(environment: { $0 == "SSL_CERT_DIR" ? "/custom" : nil }, exists: everything)
            == .openSSLDefaults)
        #expect(SystemTrustStore.find(environment: { _ in nil }, exists: { _ in false }) == .openSSLDefaults)
    }

    /// On this machine the store found is a real bundle that OpenSSL loads.
    @Test func thisMachinesStoreLoads() throws {
        guard case .bundle(let path) = SystemTrustStore.current else { return }
        #expect(SystemTrustStore.bundles.contains(path))
        _ = try TLSContext()
    }
}

/// `openssl s_server -www` with a fresh self-signed certificate for `localhost`.
struct OpenSSLServer {
    static let available = access("/usr/bin/openssl", X_OK) == 0

    let pid: pid_t
    let port: UInt16
    let certificate: String

    static func start() throws -> OpenSSLServer {
        var template = Array("/tmp/gatehouse-tls-XXXXXX".utf8CString)
        let folder = String(cString: mkdtemp(&template)!)
        let certificate = folder + "/cert.pem", key = folder + "/key.pem"
        try run(["/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
                 "-addext", "subjectAltName=DNS:localhost"], wait: true)
        let probe = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = probe.localPort
        probe.shutdown()
        let pid = try run(["/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate,
                           "-key", key, "-www", "-quiet"], wait: false)
        for _ in 0..<100 where (try? Socket.connect(host: "127.0.0.1", port: port)) == nil { usleep(20_000) }
        return OpenSSLServer(pid: pid, port: port, certificate: certificate)
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    @discardableResult
    private static func run(_ arguments: [String], wait: Bool) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { throw SocketError("spawn openssl") }
        if wait {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        return pid
    }
}
