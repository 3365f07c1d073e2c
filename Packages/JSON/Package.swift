// swift-tools-version: 6.0
import PackageDescription

/// JSON for Gatehouse, as a leaf every other package reads and writes JSON with: a strict one-pass reader (duplicate
/// members refused, depth bounded), a scanner that reads events without building trees, `JSONValue`, and the one
/// encoder and escaper (`CompactJSONEncoder`: compact, sorted, the bytes `JSONEncoder` gives).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "JSON",
    products: [.library(name: "JSON", targets: ["JSON"])],
    targets: [
        .target(name: "JSON", swiftSettings: settings),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
