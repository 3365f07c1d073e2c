import GatehouseTesting
import Foundation
import Testing
@testable import JWT

/// Reads the external test vectors kept beside the tests (byte-identical copies; see Vectors/SOURCES.md).
enum Vectors {
    static let directory = Repository.path("Packages/JWT/Tests/JWTTests/Vectors")

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func text(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// Each Wycheproof test with its group.
    static func wycheproofTests(_ file: String) throws -> [(group: [String: Any], test: [String: Any])] {
        let document = try json("wycheproof/" + file)
        let groups = try #require(document["testGroups"] as? [[String: Any]])
        return groups.flatMap { group in (group["tests"] as? [[String: Any]] ?? []).map { (group, $0) } }
    }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }
}
