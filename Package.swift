// swift-tools-version: 6.0
import PackageDescription

// The root package composes the local packages under Packages/, the apps, the `gatehouse` tool and every test
// target, so one `swift test` builds once and runs all of them. Zero package dependencies beyond local paths.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One deployable Lambda: its folder under `Apps/` (its library's module), its executable (the function's name), the
/// framework modules its library imports, and those its tests import besides.
struct App {
    let name: String
    let executable: String
    let imports: [String]
    let testImports: [String]

    init(_ name: String, executable: String, imports: [String], testImports: [String] = []) {
        (self.name, self.executable, self.imports, self.testImports) = (name, executable, imports, testImports)
    }
}

/// Every app, one line each (wider than the house's 120 columns: a line a review reads at once). `gatehouse new`
/// writes an app's line; `make lint` (`gatehouse check --manifest`) checks each against the app's `import`s and
/// prints the line to write when they differ.
let apps: [App] = [
    App("Auth", executable: "auth", imports: ["ExampleTokens", "HTTP", "JSON", "JWT", "Runtime", "Sessions", "Storage"]),
    App("DPoPAuthorizer", executable: "dpop-authorizer", imports: ["ExampleTokens", "HTTP", "JWT", "Policy", "Runtime", "TransportClient"], testImports: ["JSON"]),
    App("PolicyAuthorizer", executable: "policy-authorizer", imports: ["ExampleTokens", "HTTP", "JWT", "Policy", "Runtime", "TransportClient"], testImports: ["AWS", "JSON"]),
    App("Profile", executable: "profile", imports: ["HTTP", "Policy", "Runtime"], testImports: ["JWT"]),
    App("RequestAuthorizer", executable: "request-authorizer", imports: ["ExampleTokens", "HTTP", "JSON", "JWT", "Policy", "Runtime"], testImports: ["Transport", "TransportClient"]),
    App("TokenAuthorizer", executable: "token-authorizer", imports: ["ExampleTokens", "HTTP", "JWT", "Policy", "Runtime"], testImports: ["JSON", "Transport", "TransportClient"]),
    App("WishList", executable: "wish-list", imports: ["Cedar", "ExampleTokens", "HTTP", "Policy", "Runtime", "Storage"], testImports: ["JSON", "JWT"]),
]

/// An app's three targets: its library (handler and routes), the three-line executable named as the app, and tests.
func targets(of app: App) -> [Target] {
    func modules(_ names: [String]) -> [Target.Dependency] { names.map { appModules[$0] ?? .target(name: $0) } }
    return [
        .target(name: app.name, dependencies: modules(app.imports), path: "Apps/\(app.name)/Sources/\(app.name)",
                swiftSettings: settings),
        .executableTarget(
            name: app.executable,
            dependencies: [.target(name: app.name), http],
            path: "Apps/\(app.name)/Sources/\(app.executable)",
            swiftSettings: settings
        ),
        .testTarget(
            name: "\(app.name)Tests",
            dependencies: [
                .target(name: app.name), testing, .product(name: "HTTPTesting", package: "HTTP"),
                .product(name: "StorageTesting", package: "Storage"),
            ] + modules(app.imports + app.testImports),
            path: "Apps/\(app.name)/Tests/\(app.name)Tests",
            swiftSettings: settings
        ),
    ]
}

let http: Target.Dependency = .product(name: "HTTP", package: "HTTP")
let policy: Target.Dependency = .product(name: "Policy", package: "Policy")
let cedar: Target.Dependency = .product(name: "Cedar", package: "Policy")
let runtime: Target.Dependency = .product(name: "Runtime", package: "Runtime")
let storage: Target.Dependency = .product(name: "Storage", package: "Storage")
let sessions: Target.Dependency = .product(name: "Sessions", package: "Storage")
let storageTesting: Target.Dependency = .product(name: "StorageTesting", package: "Storage")
let jwt: Target.Dependency = .product(name: "JWT", package: "JWT")
let json: Target.Dependency = .product(name: "JSON", package: "JSON")
let transport: Target.Dependency = .product(name: "Transport", package: "Transport")
let transportClient: Target.Dependency = .product(name: "TransportClient", package: "Transport")
let localStack: Target.Dependency = .product(name: "LocalStack", package: "LocalStack")
let testing: Target.Dependency = .product(name: "GatehouseTesting", package: "GatehouseTesting")
let aws: Target.Dependency = .product(name: "AWS", package: "AWS")
/// What the example apps share about tokens (issuer name, tenant claim, trusted issuers); not a deployable app.
let exampleTokens: Target.Dependency = "ExampleTokens"
/// The framework modules an app may import, by the name it imports.
let appModules: [String: Target.Dependency] = [
    "AWS": aws, "Cedar": cedar, "ExampleTokens": exampleTokens, "HTTP": http, "JSON": json, "JWT": jwt, "Policy": policy,
    "Runtime": runtime, "Sessions": sessions, "Storage": storage, "Transport": transport, "TransportClient": transportClient,
]

let package = Package(
    name: "Gatehouse",
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .executable(name: "gatehouse-bench", targets: ["GatehouseBench"]),
    ] + apps.map { .executable(name: $0.executable, targets: [$0.executable]) },
    dependencies: [
        .package(path: "Packages/AWS"),
        .package(path: "Packages/GatehouseTesting"),
        .package(path: "Packages/Transport"),
        .package(path: "Packages/Runtime"),
        .package(path: "Packages/JSON"),
        .package(path: "Packages/JWT"),
        .package(path: "Packages/OpenSSL"),
        .package(path: "Packages/Policy"),
        .package(path: "Packages/Storage"),
        .package(path: "Packages/HTTP"),
        .package(path: "Packages/LocalStack"),
        .package(path: "Tools/fuzz"),
    ],
    targets: apps.flatMap(targets(of:)) + [
        .target(name: "ExampleTokens", dependencies: [http, json, jwt, policy, runtime, transportClient],
                path: "Apps/Shared/Sources/ExampleTokens", swiftSettings: settings),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                json, jwt, runtime, http, policy, storage, transport, transportClient, localStack, .target(name: "Auth"),
                .product(name: "Cedar", package: "Policy"),
            ],
            path: "Tools/gatehouse",
            swiftSettings: settings
        ),
        .executableTarget(
            name: "GatehouseBench",
            dependencies: [
                .product(name: "Runtime", package: "Runtime"),
                .product(name: "JWT", package: "JWT"),
                json,
                .product(name: "COpenSSL", package: "OpenSSL"),
                .product(name: "Storage", package: "Storage"),
                .product(name: "HTTP", package: "HTTP"),
                transport,
                .product(name: "Policy", package: "Policy"),
                localStack, testing, transportClient, sessions, .target(name: "Auth"), .target(name: "WishList"),
                .product(name: "HTTPTesting", package: "HTTP"), .product(name: "Cedar", package: "Policy"),
            ],
            path: "Tools/bench",
            swiftSettings: settings
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [testing, runtime, json, transport, .product(name: "CGlibcCompat", package: "Runtime")],
            path: "Packages/Runtime/Tests/RuntimeTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "LocalStackUnitTests",
            dependencies: [testing, localStack, runtime, json, transport, .product(name: "runtime-echo", package: "Runtime")],
            path: "Packages/LocalStack/Tests/LocalStackUnitTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "TransportTests",
            dependencies: [testing, transport],
            path: "Packages/Transport/Tests/TransportTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "JWTTests",
            dependencies: [testing, json, .product(name: "JWT", package: "JWT")],
            path: "Packages/JWT/Tests/JWTTests",
            exclude: ["Vectors"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "JSONTests",
            dependencies: [json],
            path: "Packages/JSON/Tests/JSONTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "CedarTests",
            dependencies: [testing, json, .product(name: "Cedar", package: "Policy")],
            path: "Packages/Policy/Tests/CedarTests",
            exclude: ["Corpus", "OOPSLA", "Formatter"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "PolicyTests",
            dependencies: [testing, .product(name: "Policy", package: "Policy")],
            path: "Packages/Policy/Tests/PolicyTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "HTTPTests",
            dependencies: [
                testing,
                .product(name: "HTTP", package: "HTTP"),
                .product(name: "Policy", package: "Policy"),
                .product(name: "Runtime", package: "Runtime"),
                transport, transportClient, json,
                .product(name: "JWT", package: "JWT"),
            ],
            path: "Packages/HTTP/Tests/HTTPTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                testing,
                .product(name: "Storage", package: "Storage"),
                .product(name: "storage-writer", package: "Storage"),
                storageTesting, sessions, .product(name: "AWS", package: "AWS"),
                transport, transportClient,
            ],
            path: "Packages/Storage/Tests/StorageTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "AppProcessTests",
            dependencies: [testing, runtime, http, json, transport, localStack] + apps.map { .target(name: $0.executable) },
            path: "Tests/AppProcessTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "LocalStackTests",
            dependencies: [
                testing,
                runtime, http, json, jwt, transport, transportClient, localStack, "gatehouse", .product(name: "AWS", package: "AWS"),
                .product(name: "runtime-echo", package: "Runtime"),
            ] + apps.map { .target(name: $0.executable) },
            path: "Tests/LocalStackTests",
            exclude: ["Templates", "Schemathesis"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: [testing, .product(name: "FuzzTargets", package: "fuzz")],
            path: "Tests/FuzzRegressionTests",
            swiftSettings: settings
        ),
        .testTarget(
            name: "GatehouseToolTests",
            dependencies: [testing, "gatehouse"] + apps.map { .target(name: $0.executable) },
            path: "Tests/GatehouseToolTests",
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
