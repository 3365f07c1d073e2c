// swift-tools-version: 6.0
import PackageDescription

/// The Lambda custom runtime: the Runtime API loop, invocation context, structured logging,
/// and an in-process Runtime API server used by tests and the local stack. A leaf: no dependencies.
/// `HTTPWire` (HTTP/1.1 framing on POSIX sockets) is its own target so the HTTP package reuses it.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Runtime",
    products: [
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "HTTPWire", targets: ["HTTPWire"]),
        .library(name: "CGlibcCompat", targets: ["CGlibcCompat"]),
        .executable(name: "runtime-echo", targets: ["RuntimeEcho"]),
    ],
    targets: [
        .target(name: "HTTPWire", swiftSettings: settings),
        // Links into every function: symbol definitions that keep the bootstrap loadable on glibc 2.34 (docs/deploy.md).
        .target(name: "CGlibcCompat"),
        .target(name: "Runtime", dependencies: ["HTTPWire", "CGlibcCompat"], swiftSettings: settings),
        .executableTarget(name: "RuntimeEcho", dependencies: ["Runtime"], swiftSettings: settings),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "HTTPWire", "RuntimeEcho", "CGlibcCompat"], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
