import FoundationEssentials
import Testing
@_spi(Gatehouse) @testable import JSON

/// `CompactJSONEncoder` against `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`: the same bytes for every
/// shape `Codable` can produce.
@Suite struct CompactJSONEncoderTests {
    func foundation<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func compact<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try CompactJSONEncoder().encode(value), as: UTF8.self)
    }

    func expectSame<Value: Encodable>(_ value: Value, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try compact(value) == foundation(value), sourceLocation: sourceLocation)
    }

    struct Item: Codable {
        var name: String
        var count: Int
        var note: String?
        var tags: [String]
        var price: Double?
        var when: Date?
    }

    enum Kind: String, Codable { case book, game }
    enum Shape: Codable { case circle(radius: Double), square(Int), none }

    struct Everything: Encodable {
        var item = Item(name: "Ada \"the\" first", count: -3, note: nil, tags: ["a/b", "c\\d", ""], price: 9.5,
                        when: Date(timeIntervalSinceReferenceDate: 86_400.25))
        var items: [Item] = []
        var kind = Kind.game
        var shapes: [Shape] = [.circle(radius: 1.5), .square(2), .none]
        var lookup: [String: Int] = ["b": 1, "B": 2, "a10": 3, "a9": 4, "é": 5, "_": 6, "": 7]
        var byNumber: [Int: String] = [10: "ten", 2: "two", 1: "one"]
        var nested: [[Int?]] = [[1, nil], [], [Int.min, Int.max]]
        var small: (Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, UInt) =
            (.min, .max, .min, .max, .min, .max, .min, .max, .max)
        var flag = true
        var bytes = Data([0, 1, 2, 253, 254, 255])
        var link = URL(string: "https://example.com/a?b=c")!
        var amount = Decimal(string: "12.345")!
        var nothing: String? = nil

        enum CodingKeys: String, CodingKey {
            case item, items, kind, shapes, lookup, byNumber, nested, small, flag, bytes, link, amount, nothing
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(item, forKey: .item)
            try container.encode(items, forKey: .items)
            try container.encode(kind, forKey: .kind)
            try container.encode(shapes, forKey: .shapes)
            try container.encode(lookup, forKey: .lookup)
            try container.encode(byNumber, forKey: .byNumber)
            try container.encode(nested, forKey: .nested)
            var small = container.nestedUnkeyedContainer(forKey: .small)
            try small.encode(self.small.0); try small.encode(self.small.1); try small.encode(self.small.2)
            try small.encode(self.small.3); try small.encode(self.small.4); try small.encode(self.small.5)
            try small.encode(self.small.6); try small.encode(self.small.7); try small.encode(self.small.8)
            try container.encode(flag, forKey: .flag)
            try container.encode(bytes, forKey: .bytes)
            try container.encode(link, forKey: .link)
            try container.encode(amount, forKey: .amount)
            try container.encodeIfPresent(nothing, forKey: .nothing)
            try container.encodeNil(forKey: .nothing)
        }
    }

    @Test func everyShapeMatchesJSONEncoder() throws {
        var everything = Everything()
        everything.items = [everything.item, Item(name: "", count: 0, note: "n", tags: [], price: nil, when: nil)]
        try expectSame(everything)
    }

    @Test(arguments: [0.0, -0.0, 1, 100, 0.1, 1.5, 1e-7, 1e21, 1e22, 123_456_789.125, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                      -2.5e-300, Double(Float(1.1))])
    func numbersMatchJSONEncoder(value: Double) throws {
        try expectSame([value])
        try expectSame(["value": Float(value).isFinite ? Float(value) : 0])
    }

    @Test func everyControlAndEscapeMatchesJSONEncoder() throws {
        let text = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self) + "é\u{2028}😀"
        try expectSame([text])
        try expectSame([text: text])
    }

    @Test func topLevelScalarsMatchJSONEncoder() throws {
        try expectSame("a/b")
        try expectSame(42)
        try expectSame(Optional<Int>.none)
        try expectSame(true)
        try expectSame([String: Int]())
        try expectSame(Dictionary(uniqueKeysWithValues: (0..<40).map { ("k\($0 * 7 % 40)", $0) }))
    }

    /// A class encodes its superclass through `superEncoder()`; a nested keyed container; a key written twice.
    class Base: Encodable {
        var id = "base"
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(id, forKey: Key(stringValue: "id")!)
        }
    }

    final class Derived: Base, @unchecked Sendable {
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode("first", forKey: Key(stringValue: "twice")!)
            try container.encode("second", forKey: Key(stringValue: "twice")!)
            var inner = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "inner")!)
            try inner.encode(1, forKey: Key(stringValue: "z")!)
            try inner.encode(2, forKey: Key(stringValue: "a")!)
            try super.encode(to: container.superEncoder())
            try super.encode(to: container.superEncoder(forKey: Key(stringValue: "parent")!))
            var list = container.nestedUnkeyedContainer(forKey: Key(stringValue: "list")!)
            try super.encode(to: list.superEncoder())
            var deeper = list.nestedContainer(keyedBy: Key.self)
            try deeper.encode(3.25, forKey: Key(stringValue: "n")!)
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    @Test func superEncodersNestedContainersAndRepeatedKeysMatchJSONEncoder() throws {
        try expectSame(Derived())
        #expect(try compact(Derived()).contains(#""twice":"second""#))
    }

    struct Silent: Encodable { func encode(to encoder: any Encoder) throws {} }

    @Test func valuesThatCannotBeJSONAreRefusedAsJSONEncoderRefusesThem() throws {
        for bad in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode([bad]) }
            #expect(throws: EncodingError.self) { try foundation([bad]) }
        }
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode(Silent()) }
        try expectSame(["quiet": Silent()])
    }

    /// The house writes one JSON text per string: `JSONValue.jsonText`, `CompactJSONEncoder` and `JSONEncoder` agree
    /// on every control character, quote and backslash (a proxy body and `HTTPResponse.json` once escaped `\u{8}`
    /// differently), and the text reads back as the string.
    @Test func everyWriterEscapesEveryCharacterAlike() throws {
        let text = String((0..<0x20).map { Character(Unicode.Scalar($0)) }) + "\"\\/é😀\u{7F}"
        let compact = String(decoding: try CompactJSONEncoder().encode([text]), as: UTF8.self)
        #expect(compact == JSONValue.array([.string(text)]).jsonText)
        #expect(compact == (try foundation([text])))
        #expect(try JSONValue.object(parsing: Array(#"{"t":\#(compact)}"#.utf8))["t"] == .array([.string(text)]))
    }
}

/// Numbers are written one way everywhere (JSON values, metric lines, authorizer contexts, stored items).
@Suite struct JSONNumberTests {
    @Test(arguments: [(0.0, "0"), (-3, "-3"), (1e15, "1000000000000000"), (9_007_199_254_740_991, "9007199254740991"),
                      (9_007_199_254_740_992, "9007199254740992.0"), (1e300, "1e+300"), (0.1, "0.1"), (2.5, "2.5"),
                      (.nan, "null"), (.infinity, "null"), (-.infinity, "null")])
    func eachNumberHasOneText(value: Double, text: String) {
        #expect(JSONText.number(value) == text)
        #expect(JSONValue.number(value).jsonText == text)
    }
}
