@_spi(Gatehouse) @testable import JSON
import Testing

/// The reader's eight-bytes-at-a-time string scan agrees with a byte-by-byte look, and finds the first byte to look at.
@Suite struct JSONReaderTests {
    static func isPlainByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    @Test func wordCheckMatchesByteCheck() {
        var generator = SystemRandomNumberGenerator()
        var words: [UInt64] = (0..<50_000).map { _ in generator.next() }
        for byte in 0...255 {
            for position in 0..<8 {
                words.append(0x6161_6161_6161_6161 & ~(0xFF << (position * 8)) | UInt64(byte) << (position * 8))
            }
        }
        for word in words {
            let plain = (0..<8).map { Self.isPlainByte(UInt8(truncatingIfNeeded: word >> ($0 * 8))) }
            let special = JSONReader.specialBytes(word)
            #expect((special == 0) == plain.allSatisfy { $0 }, "word \(String(word, radix: 16))")
            if let first = plain.firstIndex(of: false) {
                #expect(special.trailingZeroBitCount >> 3 == first, "word \(String(word, radix: 16))")
            }
        }
    }

    @Test func specialBytesAreFoundAtEveryOffset() throws {
        for offset in 0..<24 {
            for special: UInt8 in [0x01, 0x1F, 0x80] {
                var text = Array(#"{"k":"abcdefghijklmnopqrstuvwxyz"}"#.utf8)
                text[6 + offset] = special
                #expect(throws: JSONReader.Failure.self) { try JSONObjectIndex(text) }
            }
            var quoted = Array(#"{"k":"abcdefghijklmnopqrstuvwxyz"}"#.utf8)
            quoted[6 + offset] = UInt8(ascii: "\\")
            quoted[7 + offset] = UInt8(ascii: "n")
            #expect(try JSONObjectIndex(quoted).string("k")?.contains("\n") == true)
        }
    }
}

/// Reading only selected members: the rest is checked as JSON but not built.
@Suite struct JSONSelectionTests {
    let document = Array(#"{"keep":{"inner":1,"drop":[true,{"x":null}]},"skip":{"a":[1,2,{"b":"c"}]},"all":{"p":"q"}}"#.utf8)

    @Test func onlySelectedMembersAreBuilt() throws {
        let members = try JSONValue.object(parsing: document, selecting: [
            "keep": .members(["inner": .everything]), "all": .everything, "absent": .everything,
        ])
        #expect(members == ["keep": ["inner": 1], "all": ["p": "q"]])
        #expect(try JSONValue.object(parsing: document, selecting: [:]) == [:])
        #expect(try JSONValue.object(parsing: document) == JSONValue.object(parsing: document, selecting: [
            "keep": .everything, "skip": .everything, "all": .everything,
        ]))
    }

    @Test(arguments: [
        #"{"keep":1,"skip":[1,}"#, #"{"keep":1,"skip":"\x"}"#, #"{"keep":1,"skip":tru}"#, #"{"keep":1} trailing"#,
        #"{"keep":1,"keep":2}"#, #"["keep"]"#, #"{"keep":1,"skip":"#,
    ])
    func skippedMembersAreStillCheckedAndSelectedDuplicatesRefused(text: String) {
        #expect(throws: JSONValue.ParseError.self) {
            try JSONValue.object(parsing: Array(text.utf8), selecting: ["keep": .everything])
        }
    }
}

/// A whole document read strictly: a duplicate name deep inside it is refused, not dropped with its member.
@Suite struct JSONDocumentTests {
    @Test(arguments: [#"{"a":{"b":1,"b":2}}"#, #"{"a":[{"c":1,"\u0063":2}]}"#, #"{"x":1,"a":{"b":{"d":1,"d":1}}}"#])
    func nestedDuplicatesAreRefused(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.object(parsing: Array(text.utf8)) }
    }
}

/// One pass, value by value: what the scanner reads agrees with the built value, and it is as strict.
@Suite struct JSONScannerTests {
    /// Rebuilds a value through the scanner alone (members, elements, strings, numbers, flags).
    static func rebuild(_ scanner: inout JSONScanner) throws -> JSONValue {
        switch try scanner.kind() {
        case .object:
            var members: [String: JSONValue] = [:]
            try scanner.members { name, scanner in members[name.text] = try rebuild(&scanner) }
            return .object(members)
        case .array:
            var elements: [JSONValue] = []
            try scanner.elements { scanner in elements.append(try rebuild(&scanner)) }
            return .array(elements)
        case .string: return .string(try scanner.string())
        case .number: return .number(try scanner.number())
        case .bool: return .bool(try scanner.bool())
        case .null: #expect(try scanner.null()); return .null
        }
    }

    @Test func readsWhatTheReaderBuilds() throws {
        let text = #" {"a":[1,-2.5e3,"x\u00e9\n",true,false,null,{}],"\u0062":{"c":[[]]},"d":"plain"} "#
        let rebuilt = try JSONScanner.scan(Array(text.utf8)) { try Self.rebuild(&$0) }
        #expect(rebuilt == .object(try JSONValue.object(parsing: Array(text.utf8))))
    }

    @Test func namesCompareByTheirText() throws {
        var seen: [Bool] = []
        try JSONScanner.scan(Array(#"{"p\u0061th":2,"pat":3,"paths":4,"path\u0000":5}"#.utf8)) { scanner in
            try scanner.members { name, scanner in
                seen.append(name == "path")
                try scanner.skip()
            }
        }
        #expect(seen == [true, false, false, false])
    }

    @Test(arguments: [#"{"a":1,"a":2}"#, #"{"CloudFront-Is-Mobile-Viewer":1,"CloudFront-Is-Mobile-\u0056iewer":2}"#,
                      #"{"a":{"b":[{"c":1,"c":1}]}}"#, #"{"a":1} x"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":tru}"#, #"{"a":"\x"}"#, "", #"{"a":[1 2]}"#,
                      String(repeating: "[", count: 17) + String(repeating: "]", count: 17)])
    func badDocumentsAreRefused(text: String) {
        #expect(throws: JSONValue.ParseError.self) {
            try JSONScanner.scan(Array(text.utf8)) { scanner in _ = try Self.rebuild(&scanner) }
        }
    }

    @Test func aBookmarkedValueIsReadLaterAndTheCursorComesBack() throws {
        let (later, after) = try JSONScanner.scan(Array(#"{"first":{"x":"y"},"second":2}"#.utf8)) { scanner in
            var bookmark: JSONScanner.Bookmark?
            var second = 0.0
            try scanner.members { name, scanner in
                if name == "first" { bookmark = scanner.bookmark() }
                if name == "second" { second = try scanner.number() } else { try scanner.skip() }
            }
            return (try scanner.reading(at: try #require(bookmark)) { try $0.value() }, second)
        }
        #expect(later == ["x": "y"] && after == 2)
    }

    @Test func readingTheWrongKindIsRefused() {
        #expect(throws: JSONValue.ParseError.self) { try JSONScanner.scan(Array("[1]".utf8)) { try $0.string() } }
        #expect(throws: JSONValue.ParseError.self) { try JSONScanner.scan(Array(#""1""#.utf8)) { try $0.number() } }
        #expect(throws: JSONValue.ParseError.self) { try JSONScanner.scan(Array("{}".utf8)) { try $0.elements { _ in } } }
    }
}

/// The writer: compact, members sorted, every character that must be escaped escaped, and read back unchanged.
@Suite struct JSONWriterTests {
    @Test func writesCompactSortedEscapedText() throws {
        let control = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let value: JSONValue = ["b": [1, .number(2.5), true, .null], "a": .string("q\"b\\s/é" + control), "c": [:]]
        #expect(value.jsonText.hasPrefix(#"{"a":"q\"b\\s/é\u0000\u0001"#))
        #expect(value.jsonText.hasSuffix(#"\u001f","b":[1,2.5,true,null],"c":{}}"#))
        #expect(value.jsonBytes == Array(value.jsonText.utf8))
        #expect(try JSONValue.object(parsing: value.jsonBytes) == value.objectValue)
    }
}
