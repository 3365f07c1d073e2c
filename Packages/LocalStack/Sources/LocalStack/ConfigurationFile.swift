import FoundationEssentials
import Glibc

/// The bytes of a file the stack is configured by (the template, `dev/identities.json`). A missing or unreadable one
/// is one line naming it and where a relative path was looked for, not Foundation's error dump.
func configurationFile(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        let reason = access(path, F_OK) == 0 ? "cannot be read" : "does not exist"
        let place = path.hasPrefix("/") ? "" : " (looked for in \(currentDirectory())): run gatehouse from the project's root"
        throw ServeError("\(path) \(reason)\(place)")
    }
}

/// A configuration file read as `type`. Text that is not JSON is one line saying where it stops being JSON
/// (`template.json:77:3: not JSON: expected a value`), as a hand-edited 600-line file needs.
public func configurationDocument<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
    let data = try configurationFile(path)
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
        guard let (offset, reason) = JSONSyntax.firstError(in: Array(data)) else { throw DecodingError.dataCorrupted(context) }
        let before = data.prefix(offset)
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        throw ServeError("\(path):\(line):\(column): not JSON: \(reason)")
    }
}

/// Where bytes stop being JSON (RFC 8259's grammar, checked only for that: values are not built).
enum JSONSyntax {
    private struct Stop: Error {
        let offset: Int
        let reason: String
    }

    /// The byte offset of the first error and what was expected there; nil for valid JSON.
    static func firstError(in bytes: [UInt8]) -> (offset: Int, reason: String)? {
        var index = 0
        do {
            try value(bytes, &index, depth: 0)
            skipSpace(bytes, &index)
            guard index == bytes.count else { throw Stop(offset: index, reason: "text after the document") }
            return nil
        } catch let stop as Stop {
            return (stop.offset, stop.reason)
        } catch {
            return nil
        }
    }

    private static func skipSpace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private static func expect(_ byte: Character, _ bytes: [UInt8], _ index: inout Int, _ reason: String) throws {
        skipSpace(bytes, &index)
        guard index < bytes.count, bytes[index] == byte.asciiValue! else { throw Stop(offset: index, reason: reason) }
        index += 1
    }

    private static func value(_ bytes: [UInt8], _ index: inout Int, depth: Int) throws {
        skipSpace(bytes, &index)
        guard depth < 512 else { throw Stop(offset: index, reason: "nested too deeply") }
        guard index < bytes.count else { throw Stop(offset: index, reason: "expected a value, found the end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            skipSpace(bytes, &index)
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
            repeat {
                skipSpace(bytes, &index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw Stop(offset: index, reason: index < bytes.count ? "expected a member name in double quotes"
                                                                           : "expected a member name, found the end")
                }
                try string(bytes, &index)
                try expect(":", bytes, &index, "expected : after the member name")
                try value(bytes, &index, depth: depth + 1)
                skipSpace(bytes, &index)
            } while try more(bytes, &index, closing: "}")
        case UInt8(ascii: "["):
            index += 1
            skipSpace(bytes, &index)
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
            repeat {
                try value(bytes, &index, depth: depth + 1)
                skipSpace(bytes, &index)
            } while try more(bytes, &index, closing: "]")
        case UInt8(ascii: "\""):
            try string(bytes, &index)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for literal in ["true", "false", "null"] where bytes[index...].starts(with: literal.utf8) {
                index += literal.utf8.count
                return
            }
            throw Stop(offset: index, reason: "expected a value")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
            guard Double(String(decoding: bytes[start..<index], as: UTF8.self)) != nil else {
                throw Stop(offset: start, reason: "not a number")
            }
        default:
            throw Stop(offset: index, reason: "expected a value")
        }
    }

    /// After a member or element: `,` (more follow) or the closing bracket (done).
    private static func more(_ bytes: [UInt8], _ index: inout Int, closing: Character) throws -> Bool {
        guard index < bytes.count else { throw Stop(offset: index, reason: "expected , or \(closing), found the end") }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return true
        }
        guard bytes[index] == closing.asciiValue! else { throw Stop(offset: index, reason: "expected , or \(closing)") }
        index += 1
        return false
    }

    private static func string(_ bytes: [UInt8], _ index: inout Int) throws {
        let start = index
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"): index += 2
            case 0..<0x20: throw Stop(offset: index, reason: "a control character inside a string")
            default: index += 1
            }
        }
        throw Stop(offset: start, reason: "a string that never ends")
    }
}
