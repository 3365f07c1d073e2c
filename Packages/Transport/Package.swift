// swift-tools-version: 6.0
import PackageDescription

/// Bytes on the wire for Gatehouse: `Transport` has POSIX sockets, the HTTP/1.1 codec and one server core (accept
/// loop, keep-alive, limits, idle timeout, shutdown); `TransportClient` the HTTP client with TLS, apart so that
/// what needs no TLS (the Lambda runtime loop) does not load OpenSSL at cold start. A leaf but for the OpenSSL
/// system-library target, which the JWT package owns (no JWT code is linked).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Transport",
    products: [
        .library(name: "Transport", targets: ["Transport"]),
        .library(name: "TransportClient", targets: ["TransportClient"]),
    ],
    dependencies: [.package(path: "../GatehouseTesting"), .package(path: "../OpenSSL")],
    targets: [
        .target(name: "Transport", swiftSettings: settings),
        .target(
            name: "TransportClient",
            dependencies: ["Transport", .product(name: "COpenSSL", package: "OpenSSL")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "TransportTests",
            dependencies: ["Transport", .product(name: "GatehouseTesting", package: "GatehouseTesting")],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
