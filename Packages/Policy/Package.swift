// swift-tools-version: 6.0
import PackageDescription

/// The authorizer vocabulary: scopes and requirements, IAM policy documents, execute-api ARNs and their evaluation,
/// Lambda authorizer events and responses. Below it only the JSON leaf (numbers are written the one way JSON does).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Policy",
    products: [
        .library(name: "Policy", targets: ["Policy"]),
        .library(name: "Cedar", targets: ["Cedar"]),
    ],
    dependencies: [.package(path: "../GatehouseTesting"), .package(path: "../JSON")],
    targets: [
        .target(name: "Policy", dependencies: [.product(name: "JSON", package: "JSON")], swiftSettings: settings),
        // The Cedar policy language (Amazon Verified Permissions'): parser, evaluator, authorizer, JSON formats.
        .target(name: "Cedar", dependencies: [.product(name: "JSON", package: "JSON")], swiftSettings: settings),
        .testTarget(name: "CedarTests", dependencies: [
            "Cedar", .product(name: "JSON", package: "JSON"), .product(name: "GatehouseTesting", package: "GatehouseTesting"),
        ], exclude: ["Corpus", "OOPSLA", "Formatter"], swiftSettings: settings),
        .testTarget(name: "PolicyTests", dependencies: [
            "Policy", .product(name: "GatehouseTesting", package: "GatehouseTesting"),
        ], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
