// swift-tools-version: 6.0
import PackageDescription

/// Tables on DynamoDB's item model: an embedded SQLite backend (the default off Lambda) and an in-memory one for
/// tests, and DynamoDB (JSON protocol, SigV4) on AWS. It owns the SQLite binding.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Storage",
    products: [
        .library(name: "Storage", targets: ["Storage"]),
        .executable(name: "storage-writer", targets: ["StorageWriter"]),
        .library(name: "Sessions", targets: ["Sessions"]),
        .library(name: "StorageTesting", targets: ["StorageTesting"]),
    ],
    dependencies: [
        .package(path: "../AWS"),
        .package(path: "../GatehouseTesting"),
        .package(path: "../JSON"),
        .package(path: "../OpenSSL"),
        .package(path: "../Transport"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "Storage",
            dependencies: [
                "CSQLite",
                .product(name: "JSON", package: "JSON"),
                .product(name: "AWS", package: "AWS"),
                .product(name: "Transport", package: "Transport"),
                .product(name: "TransportClient", package: "Transport"),
                .product(name: "COpenSSL", package: "OpenSSL"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(name: "StorageWriter", dependencies: ["Storage"], swiftSettings: settings),
        .target(
            name: "Sessions",
            dependencies: ["Storage", .product(name: "AWS", package: "AWS"), .product(name: "COpenSSL", package: "OpenSSL")],
            swiftSettings: settings
        ),
        .target(
            name: "StorageTesting",
            dependencies: ["Storage", .product(name: "AWS", package: "AWS"), .product(name: "Transport", package: "Transport"),
                           .product(name: "TransportClient", package: "Transport")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                .product(name: "GatehouseTesting", package: "GatehouseTesting"),
                "Storage", "StorageWriter", "StorageTesting", "Sessions", .product(name: "AWS", package: "AWS"),
                .product(name: "Transport", package: "Transport"),
                .product(name: "TransportClient", package: "Transport"),
            ],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
