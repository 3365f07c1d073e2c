// swift-tools-version: 6.0
import PackageDescription

/// The Lambda custom runtime: the Runtime API client loop, invocation context, structured logging. It stands on
/// Transport for HTTP/1.1 on sockets.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Runtime",
    products: [
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "CGlibcCompat", targets: ["CGlibcCompat"]),
        .executable(name: "runtime-echo", targets: ["RuntimeEcho"]),
    ],
    dependencies: [.package(path: "../GatehouseTesting"), .package(path: "../JSON"), .package(path: "../Transport")],
    targets: [
        // Links into every function: symbol definitions that keep the bootstrap loadable on glibc 2.34 (docs/deploy.md).
        .target(name: "CGlibcCompat"),
        .target(
            name: "Runtime",
            dependencies: [.product(name: "Transport", package: "Transport"), .product(name: "JSON", package: "JSON"), "CGlibcCompat"],
            swiftSettings: settings
        ),
        .executableTarget(name: "RuntimeEcho", dependencies: ["Runtime"], swiftSettings: settings),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "CGlibcCompat", .product(name: "Transport", package: "Transport"), .product(name: "JSON", package: "JSON"),
                .product(name: "GatehouseTesting", package: "GatehouseTesting"),
            ],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
