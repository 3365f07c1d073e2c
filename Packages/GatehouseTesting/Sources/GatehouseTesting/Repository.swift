public import FoundationEssentials
import Glibc

/// The repository a test runs from: its root, its fixtures and the folder of the executables the build produced.
public enum Repository {
    /// The repository's root folder (found from this file's own place, once).
    public static let root: String = {
        var path = #filePath  // Packages/GatehouseTesting/Sources/GatehouseTesting/Repository.swift
        for _ in 0..<5 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// `path` below the root.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// The tests' own dev identities (users, clients, the dev pool), a copy of what dev/identities.json held when the
    /// tests were written: a user editing their dev data never changes what the framework's tests see.
    public static var identities: String { path("Tests/Fixtures/identities.json") }

    /// The bytes of a real API Gateway event sample in `Tests/Fixtures/events` (see its SOURCES.md).
    public static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path("Tests/Fixtures/events/" + name)))
    }

    /// A fixture decoded as `type`.
    public static func fixture<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: fixture(name))
    }

    /// The folder holding the built executables (`gatehouse`, the apps, `runtime-echo`): the running test bundle's
    /// or benchmark's own folder.
    public static let builtProducts: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        var path = String(decoding: buffer[0..<max(0, count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        repeat { path = String(path[..<path.lastIndex(of: "/")!]) } while path.contains(".xctest")
        return path
    }()
}

/// `value` encoded to JSON and decoded again, for round-trip tests of event and policy types.
public func roundTrip<T: Codable>(_ value: T) throws -> T {
    try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
}
