// swift-tools-version: 6.0
import PackageDescription

/// Tables on DynamoDB's item model: an embedded SQLite backend (the default off Lambda) and an in-memory one for
/// tests. It owns the SQLite binding. (The DynamoDB backend arrives with the HTTP client it needs.)
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
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Storage", dependencies: ["CSQLite"], swiftSettings: settings),
        .executableTarget(name: "StorageWriter", dependencies: ["Storage"], swiftSettings: settings),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "StorageWriter"], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
