// swift-tools-version: 6.0
import Foundation
import PackageDescription

// The root package composes the local packages under Packages/, the apps, the `gatehouse` tool and every test
// target, so one `swift test` builds once and runs all of them. Zero package dependencies beyond local paths.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One deployable Lambda: its library (handler and routes), a three-line executable named as the app, and tests.
func app(_ name: String, executable: String, dependencies: [Target.Dependency], testDependencies: [Target.Dependency]) -> [Target] {
    [
        .target(name: name, dependencies: dependencies, path: "Apps/\(name)/Sources/\(name)", swiftSettings: settings),
        .executableTarget(
            name: executable,
            dependencies: [.target(name: name), .product(name: "HTTP", package: "HTTP")],
            path: "Apps/\(name)/Sources/\(executable)",
            swiftSettings: settings
        ),
        .testTarget(
            name: "\(name)Tests",
            dependencies: [
                .target(name: name), .product(name: "GatehouseTesting", package: "GatehouseTesting"),
                .product(name: "HTTPTesting", package: "HTTP"), .product(name: "StorageTesting", package: "Storage"),
            ] + testDependencies,
            path: "Apps/\(name)/Tests/\(name)Tests",
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
/// The modules an app may import, by name.
let appModules: [String: Target.Dependency] = [
    "HTTP": http, "Policy": policy, "Cedar": cedar, "Runtime": runtime, "Storage": storage, "Sessions": sessions, "JWT": jwt, "JSON": json,
    "AWS": aws, "ExampleTokens": exampleTokens,
]

/// Every app under `Apps/`, found rather than listed (`gatehouse new` adds a folder and nothing else): a folder with
/// `Sources/<Name>/` (the library) and one `Sources/<executable>/main.swift`. Its dependencies are the modules its
/// library imports; its tests' are those and the modules the tests import.
let apps: [(name: String, executable: String, dependencies: [Target.Dependency], testDependencies: [Target.Dependency])] = {
    let files = FileManager.default
    let root = Context.packageDirectory + "/Apps"
    return ((try? files.contentsOfDirectory(atPath: root)) ?? []).sorted().compactMap { name in
        let sources = root + "/" + name + "/Sources"
        let folders = ((try? files.contentsOfDirectory(atPath: sources)) ?? []).sorted()
        guard folders.contains(name),
              let executable = folders.first(where: { $0 != name && files.fileExists(atPath: sources + "/" + $0 + "/main.swift") })
        else { return nil }
        func imports(_ folder: String) -> Set<String> {
            var imported: Set<String> = []
            for file in (try? files.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".swift") {
                let text = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ").filter { !["public", "package", "internal", "@preconcurrency"].contains($0) }
                    if words.count >= 2, words[0] == "import" { imported.insert(String(words[1])) }
                }
            }
            return imported
        }
        let library = imports(sources + "/" + name).union(["HTTP"])
        let tests = imports(root + "/" + name + "/Tests/" + name + "Tests").union(library)
        return (name, executable, library.sorted().compactMap { appModules[$0] }, tests.sorted().compactMap { appModules[$0] })
    }
}()

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
    targets: apps.flatMap { app($0.name, executable: $0.executable, dependencies: $0.dependencies, testDependencies: $0.testDependencies) } + [
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
