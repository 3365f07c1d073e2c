// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets, one executable each, built only by `make fuzz` (`swift build --sanitize=fuzzer`). Their bodies
// live in the FuzzTargets library, which the root package's FuzzRegressionTests also run over the seeds and every
// input a fuzzer ever crashed on. FuzzTargets uses `@testable import` for internal entry points (the HTTP server's
// request conversion), so release fuzz builds pass `-enable-testing`.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
let fuzzers = ["jws", "jwks", "apigateway-event", "http-request", "policy", "cedar-policy", "cedar-authorization"]

let package = Package(
    name: "GatehouseFuzz",
    products: [.library(name: "FuzzTargets", targets: ["FuzzTargets"])]
        + fuzzers.map { .executable(name: "fuzz-\($0)", targets: ["fuzz-\($0)"]) },
    dependencies: [
        .package(path: "../../Packages/JSON"),
        .package(path: "../../Packages/JWT"),
        .package(path: "../../Packages/OpenSSL"),
        .package(path: "../../Packages/Policy"),
        .package(path: "../../Packages/HTTP"),
        .package(path: "../../Packages/Runtime"),
        .package(path: "../../Packages/Transport"),
    ],
    targets: [
        .target(
            name: "FuzzTargets",
            dependencies: [
                .product(name: "JWT", package: "JWT"),
                .product(name: "JSON", package: "JSON"),
                .product(name: "COpenSSL", package: "OpenSSL"),
                .product(name: "Policy", package: "Policy"),
                .product(name: "Cedar", package: "Policy"),
                .product(name: "HTTP", package: "HTTP"),
                .product(name: "Transport", package: "Transport"),
            ],
            swiftSettings: settings
        ),
    ] + fuzzers.map {
        .executableTarget(name: "fuzz-\($0)", dependencies: ["FuzzTargets"], swiftSettings: settings)
    }
)
