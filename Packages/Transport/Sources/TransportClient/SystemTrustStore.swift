import Transport
import Glibc

/// Where the system's trusted CA certificates are. OpenSSL's own default is the folder it was built with (Debian's
/// `/usr/lib/ssl`), which a bootstrap with OpenSSL linked in does not find on Amazon Linux 2023; so after OpenSSL's own
/// variables (`SSL_CERT_FILE`, `SSL_CERT_DIR`), the distributions' bundle files are looked for.
enum SystemTrustStore: Equatable {
    /// OpenSSL's defaults: its variables when set, else its build-time folder.
    case openSSLDefaults
    /// A PEM bundle of the distribution.
    case bundle(String)

    /// The bundle files of Amazon Linux / Fedora / RHEL, Debian / Ubuntu / Alpine, openSUSE, and the BSD-style name.
    static let bundles = ["/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt",
                          "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem"]

    /// This process's trust store.
    static var current: SystemTrustStore {
        find(environment: ProcessEnvironment.nonEmptyValue, exists: { access($0, R_OK) == 0 })
    }

    static func find(environment: (String) -> String?, exists: (String) -> Bool) -> SystemTrustStore {
        if environment("SSL_CERT_FILE") != nil || environment("SSL_CERT_DIR") != nil { return .openSSLDefaults }
        return bundles.first(where: exists).map(SystemTrustStore.bundle) ?? .openSSLDefaults
    }
}
