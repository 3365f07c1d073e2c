// swift-tools-version: 6.0
import PackageDescription

/// The local stack as a library: the Lambda Runtime API server and function processes (what Lambda does for a
/// function), and the API Gateway emulator, dev identity provider and console built on them. Linked by the
/// `gatehouse` tool and the tests, never by an app.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LocalStack",
    products: [.library(name: "LocalStack", targets: ["LocalStack"])],
    dependencies: [
        .package(path: "../AWS"),
        .package(path: "../GatehouseTesting"),
        .package(path: "../Transport"),
        .package(path: "../Runtime"),
        .package(path: "../JSON"),
        .package(path: "../JWT"),
        .package(path: "../Policy"),
        .package(path: "../HTTP"),
        .package(path: "../Storage"),
    ],
    targets: [
        .target(name: "CSockDiag"),
        .target(
            name: "LocalStack",
            dependencies: [
                "CSockDiag",
                .product(name: "Transport", package: "Transport"),
                .product(name: "TransportClient", package: "Transport"),
                .product(name: "Runtime", package: "Runtime"),
                .product(name: "JWT", package: "JWT"),
                .product(name: "JSON", package: "JSON"),
                .product(name: "Policy", package: "Policy"),
                .product(name: "Cedar", package: "Policy"),
                .product(name: "HTTP", package: "HTTP"),
                .product(name: "AWS", package: "AWS"),
                .product(name: "Storage", package: "Storage"),
                .product(name: "Sessions", package: "Storage"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "LocalStackUnitTests",
            dependencies: [
                .product(name: "GatehouseTesting", package: "GatehouseTesting"),
                "LocalStack", .product(name: "Runtime", package: "Runtime"), .product(name: "JSON", package: "JSON"),
                .product(name: "Transport", package: "Transport"),
                .product(name: "runtime-echo", package: "Runtime"),
            ],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
