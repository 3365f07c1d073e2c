// swift-tools-version: 6.0
import PackageDescription

/// JOSE for Gatehouse: JWS compact parsing and verification, JWK/JWKS, claims validation and signing, on OpenSSL 3.
/// It stands on the OpenSSL binding and the JSON leaf, and never opens a socket (key sets arrive through
/// `KeySetSource`).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "JWT",
    products: [
        .library(name: "JWT", targets: ["JWT"]),
    ],
    dependencies: [.package(path: "../GatehouseTesting"), .package(path: "../JSON"), .package(path: "../OpenSSL")],
    targets: [
        .target(
            name: "JWT",
            dependencies: [.product(name: "COpenSSL", package: "OpenSSL"), .product(name: "JSON", package: "JSON")],
            swiftSettings: settings
        ),
        .testTarget(name: "JWTTests", dependencies: [
            "JWT", .product(name: "JSON", package: "JSON"), .product(name: "GatehouseTesting", package: "GatehouseTesting"),
        ], exclude: ["Vectors"], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
