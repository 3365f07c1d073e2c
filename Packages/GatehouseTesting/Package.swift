// swift-tools-version: 6.0
import PackageDescription

/// What the tests and benchmarks share: the repository's paths and fixtures, the folder of built executables, and a
/// clock moved by hand. A leaf, so every package's tests can use it without a cycle.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "GatehouseTesting",
    products: [.library(name: "GatehouseTesting", targets: ["GatehouseTesting"])],
    targets: [.target(name: "GatehouseTesting", swiftSettings: settings)],
    swiftLanguageModes: [.v6]
)
