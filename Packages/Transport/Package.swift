// swift-tools-version: 6.0
import PackageDescription

/// Bytes on the wire for Gatehouse: POSIX sockets, the HTTP/1.1 codec, one server core (accept loop, keep-alive,
/// limits, idle timeout, shutdown) and a client with TLS. A leaf but for the OpenSSL system-library target, which
/// the JWT package owns (no JWT code is linked).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Transport",
    products: [.library(name: "Transport", targets: ["Transport"])],
    dependencies: [.package(path: "../GatehouseTesting"), .package(path: "../JWT")],
    targets: [
        .target(name: "Transport", dependencies: [.product(name: "COpenSSL", package: "JWT")], swiftSettings: settings),
        .testTarget(
            name: "TransportTests",
            dependencies: ["Transport", .product(name: "GatehouseTesting", package: "GatehouseTesting")],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
