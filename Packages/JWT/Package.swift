// swift-tools-version: 6.0
import PackageDescription

/// JOSE for Gatehouse: JWS compact parsing and verification, JWK/JWKS, claims validation and signing, on OpenSSL 3.
/// A leaf: it owns the OpenSSL binding and never opens a socket (key sets arrive through `KeySetSource`).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "JWT",
    products: [
        .library(name: "JWT", targets: ["JWT"]),
        .library(name: "COpenSSL", targets: ["COpenSSL"]),
    ],
    dependencies: [.package(path: "../GatehouseTesting")],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "JWT", dependencies: ["COpenSSL"], swiftSettings: settings),
        .testTarget(name: "JWTTests", dependencies: [
            "JWT", .product(name: "GatehouseTesting", package: "GatehouseTesting"),
        ], exclude: ["Vectors"], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
