// swift-tools-version: 6.0
import PackageDescription

/// API Gateway events and responses, the router with its scope requirements, middleware, and the caller: where
/// authentication at the edge becomes authorization in the handler.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "HTTP",
    products: [
        .library(name: "HTTP", targets: ["HTTP"]),
        .library(name: "HTTPTesting", targets: ["HTTPTesting"]),
    ],
    dependencies: [
        .package(path: "../AWS"),
        .package(path: "../GatehouseTesting"),
        .package(path: "../JSON"),
        .package(path: "../JWT"),
        .package(path: "../Policy"),
        .package(path: "../Runtime"),
        .package(path: "../Transport"),
    ],
    targets: [
        .target(
            name: "HTTP",
            dependencies: [
                .product(name: "Policy", package: "Policy"),
                .product(name: "Cedar", package: "Policy"),
                .product(name: "AWS", package: "AWS"),
                .product(name: "Runtime", package: "Runtime"),
                .product(name: "Transport", package: "Transport"),
                .product(name: "TransportClient", package: "Transport"),
                .product(name: "JWT", package: "JWT"),
                .product(name: "JSON", package: "JSON"),
            ],
            swiftSettings: settings
        ),
        // Event builders for handler tests (apps' tests use them); not linked by any function.
        .target(
            name: "HTTPTesting",
            dependencies: [
                "HTTP", .product(name: "Transport", package: "Transport"), .product(name: "JWT", package: "JWT"), .product(name: "JSON", package: "JSON"),
                .product(name: "GatehouseTesting", package: "GatehouseTesting"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "HTTPTests",
            dependencies: [
                .product(name: "GatehouseTesting", package: "GatehouseTesting"),
                "HTTP", .product(name: "Policy", package: "Policy"), .product(name: "Runtime", package: "Runtime"),
                .product(name: "Transport", package: "Transport"),
                .product(name: "TransportClient", package: "Transport"),
                .product(name: "JWT", package: "JWT"),
                .product(name: "JSON", package: "JSON"),
            ],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
