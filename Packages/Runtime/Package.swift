// swift-tools-version: 6.0
import PackageDescription

/// The Lambda custom runtime: the Runtime API loop, invocation context, structured logging,
/// and an in-process Runtime API server used by tests and the local stack. A leaf: no dependencies.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Runtime",
    products: [
        .library(name: "Runtime", targets: ["Runtime"]),
        .executable(name: "runtime-echo", targets: ["RuntimeEcho"]),
    ],
    targets: [
        .target(name: "Runtime", swiftSettings: settings),
        .executableTarget(name: "RuntimeEcho", dependencies: ["Runtime"], swiftSettings: settings),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "RuntimeEcho"], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
