// swift-tools-version: 6.0
import PackageDescription

/// The authorizer vocabulary: scopes and requirements, IAM policy documents, execute-api ARNs and their evaluation,
/// Lambda authorizer events and responses. A leaf: no dependencies.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Policy",
    products: [.library(name: "Policy", targets: ["Policy"])],
    dependencies: [.package(path: "../GatehouseTesting")],
    targets: [
        .target(name: "Policy", swiftSettings: settings),
        .testTarget(name: "PolicyTests", dependencies: [
            "Policy", .product(name: "GatehouseTesting", package: "GatehouseTesting"),
        ], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
