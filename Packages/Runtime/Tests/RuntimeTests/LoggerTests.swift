import Synchronization
import FoundationEssentials
import Testing
@testable import Runtime

@Suite struct LoggerTests {
    @Test func lineIsOneJSONObjectInLambdaShape() throws {
        let logger = Logger(level: .info, requestID: "abc", sink: { _ in })
        let line = logger.line(.warn, "quote \" newline \n tab \t bell \u{07}", ["user": "ada", "level": "spoof"],
                               at: 1_700_000_000_123)
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"timestamp":"2023-11-14T22:13:20.123Z","level":"WARN","message":"#))
        let object = try JSONSerializationFree.decode(line)
        #expect(object["message"] == "quote \" newline \n tab \t bell \u{07}")
        #expect(object["requestId"] == "abc")
        #expect(object["user"] == "ada")
        #expect(object["level"] == "WARN")
    }

    @Test func levelsFilter() {
        let lines = Mutex<[String]>([])
        let logger = Logger(level: .warn, sink: { line in lines.withLock { $0.append(line) } })
        logger.debug("no")
        logger.info("no")
        logger.warn("yes")
        logger.error("yes")
        let written = lines.withLock { $0 }
        #expect(written.count == 2)
        #expect(written.allSatisfy { $0.contains(#""message":"yes""#) })
    }

    /// A line below the level costs nothing: neither its message nor its fields are built.
    @Test func aDroppedLineBuildsNothing() {
        let built = Mutex(0)
        func fields() -> [String: String] { built.withLock { $0 += 1 }; return ["audit.subject": "ada"] }
        let logger = Logger(level: .warn, sink: { _ in })
        logger.info("no", fields())
        logger.log(.debug, "no", fields())
        #expect(built.withLock { $0 } == 0)
        logger.warn("yes", fields())
        #expect(built.withLock { $0 } == 1)
    }

    @Test func levelNames() {
        #expect(Logger.Level(name: "debug") == .debug)
        #expect(Logger.Level(name: "WARNING") == .warn)
        #expect(Logger.Level(name: "Fatal") == .fatal)
        #expect(Logger.Level(name: "loud") == nil)
    }

    @Test func timestampsAreUTCISO8601() {
        func iso8601(milliseconds: Int64) -> String {
            var line = JSONLine()
            line.timestamp(milliseconds: milliseconds)
            return line.text
        }
        #expect(iso8601(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(iso8601(milliseconds: 951_782_400_007) == "2000-02-29T00:00:00.007Z")
        #expect(iso8601(milliseconds: 1_765_123_456_789) == "2025-12-07T16:04:16.789Z")
    }
}

/// Decodes a flat JSON object of strings, so the tests check the logger's output with a real JSON parser.
enum JSONSerializationFree {
    static func decode(_ line: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(line.utf8))
    }
}

/// `JSONLine` escapes exactly what RFC 8259 requires: every control character, quote and backslash, and nothing
/// else (non-ASCII text is copied as UTF-8); JSONDecoder reads back each string as written.
@Suite struct JSONLineTests {
    @Test func everyControlCharacterQuoteAndBackslashRoundTrips() throws {
        var texts = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["\"", "\\", "/", "plain", "é ☃ 𝄞", "a\"b\\c\nd\u{7F}", ""]
        for text in texts {
            var line = JSONLine()
            line.raw("[")
            line.string(text)
            line.raw("]")
            #expect(!line.bytes.contains { $0 < 0x20 })
            #expect(try JSONDecoder().decode([String].self, from: Data(line.bytes)) == [text], "\(text.debugDescription)")
        }
        var line = JSONLine()
        line.string("\u{1F}/é")
        #expect(line.text == #""\u001f/é""#)
    }
}

/// One EMF record, byte for byte: the directive's declaration rendered once, then this record's values, escaped.
@Suite struct MetricsLoggerTests {
    @Test func aRecordIsItsDirectiveAndItsValues() {
        let lines = Mutex<[String]>([])
        let metrics = MetricsLogger(namespace: "Ns", sink: { line in lines.withLock { $0.append(line) } })
        let directive = metrics.directive(metrics: [("Requests", .count), ("Latency", .milliseconds)],
                                          dimensions: ["Service", "Route"])
        metrics.emit(directive, values: [1, 2.5], dimensions: ["svc", "GET /a\"b"], properties: ["z": "1", "a": "2"],
                     at: 1_700_000_000_123)
        metrics.emit(directive, values: [0, 3], dimensions: ["svc", "GET /"], at: 1_700_000_000_124)
        let declaration: String = #"{"_aws":{"Timestamp":TIME,"CloudWatchMetrics":[{"Namespace":"Ns","#
            + #""Dimensions":[["Service","Route"]],"Metrics":[{"Name":"Requests","Unit":"Count"},"#
            + #"{"Name":"Latency","Unit":"Milliseconds"}]}]},"#
        let first: String = declaration.replacing("TIME", with: "1700000000123")
            + #""Service":"svc","Route":"GET /a\"b","Requests":1,"Latency":2.5,"a":"2","z":"1"}"#
        let second: String = declaration.replacing("TIME", with: "1700000000124")
            + #""Service":"svc","Route":"GET /","Requests":0,"Latency":3}"#
        #expect(lines.withLock { $0 } == [first, second])
    }

    /// NaN and the infinities are not JSON: a record holding one would be refused whole by CloudWatch.
    @Test func valuesJSONCannotHoldAreWrittenAsZero() {
        let lines = Mutex<[String]>([])
        let metrics = MetricsLogger(namespace: "Ns", sink: { line in lines.withLock { $0.append(line) } })
        let directive = metrics.directive(metrics: [("A", .count), ("B", .count), ("C", .count)], dimensions: [])
        metrics.emit(directive, values: [.nan, .infinity, -.infinity], dimensions: [], at: 1)
        #expect(lines.withLock { $0 }.first?.hasSuffix(#""A":0,"B":0,"C":0}"#) == true)
    }
}
