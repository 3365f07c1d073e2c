// swift-tools-version: 6.0
import PackageDescription

/// The one OpenSSL 3 binding of Gatehouse (a module map over the system's libssl-dev), a leaf of its own: JWT signs
/// and verifies with it, TransportClient speaks TLS with it, Storage and Sessions hash with it; none of them reaches
/// it through another package's code.
let package = Package(
    name: "OpenSSL",
    products: [.library(name: "COpenSSL", targets: ["COpenSSL"])],
    targets: [.systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])])]
)
