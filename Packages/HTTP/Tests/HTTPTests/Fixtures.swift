import FoundationEssentials
import Testing

/// The real API Gateway event samples kept in the repository's `Tests/Fixtures/events` (see its SOURCES.md).
enum Fixtures {
    static let directory: String = {
        var path = #filePath
        for _ in 0..<5 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Tests/Fixtures/events"
    }()

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: data(name))
    }

    /// Encodes and decodes `value` again.
    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }
}
