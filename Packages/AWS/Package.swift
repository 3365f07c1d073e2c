// swift-tools-version: 6.0
import PackageDescription

/// Calling AWS from a function: SigV4 signing (and checking, for the local stack), credentials and endpoints from
/// the standard environment, and the JSON protocols' client (DynamoDB, Verified Permissions) with its error shapes.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "AWS",
    products: [
        .library(name: "AWS", targets: ["AWS"]),
    ],
    dependencies: [
        .package(path: "../OpenSSL"),
        .package(path: "../Transport"),
    ],
    targets: [
        .target(
            name: "AWS",
            dependencies: [
                .product(name: "COpenSSL", package: "OpenSSL"),
                .product(name: "Transport", package: "Transport"),
                .product(name: "TransportClient", package: "Transport"),
            ],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
