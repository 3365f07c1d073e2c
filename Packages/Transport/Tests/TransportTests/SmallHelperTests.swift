import Glibc
import Testing
import Transport

@Suite struct IdentifierTests {
    @Test func traceIDsAreXRayShapedAndDistinct() {
        let now: Int64 = 1_700_000_123_456
        let ids = (0..<100).map { _ in newTraceID(nowMilliseconds: now) }
        #expect(Set(ids).count == 100)
        for id in ids {
            let parts = id.split(separator: ";")
            #expect(parts.last == "Sampled=0")
            let root = parts[0].split(separator: "-")
            #expect(root.count == 3)
            #expect(root[0] == "Root=1")
            #expect(root[1] == "6553f17b")  // 1700000123 seconds in hex
            #expect(root[2].count == 24 && root[2].allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test func requestIDsAreLowercaseHexUUIDs() {
        let id = newRequestID()
        #expect(id.count == 36)
        #expect(id.allSatisfy { $0 == "-" || ($0.isHexDigit && !$0.isUppercase) })
        #expect("89ab".contains(id[id.index(id.startIndex, offsetBy: 19)]))
    }
}

/// Header names compare case-insensitively over ASCII letters only (names are tokens; other bytes are kept).
@Suite struct HeaderNameTests {
    @Test func lookupsFoldASCIICaseOnly() {
        let headers = WireHeaders([("Lambda-Runtime-Aws-Request-Id", "r-1"), ("X-ÄBC", "umlaut"), ("content-type", "json"),
                                   ("Z[@`{", "edges")])
        #expect(headers["lambda-runtime-aws-request-id"] == "r-1")
        #expect(headers["LAMBDA-RUNTIME-AWS-REQUEST-ID"] == "r-1")
        #expect(headers["Content-Type"] == "json")
        #expect(headers["x-Äbc"] == "umlaut")
        #expect(headers["x-äbc"] == nil)  // not an ASCII letter: not folded
        #expect(headers["z[@`{"] == "edges")  // the bytes around A–Z stay as they are
        #expect(headers["Z{`@["] == nil && headers["z[`@{"] == nil)
        #expect(headers.values("CONTENT-TYPE") == ["json"])
    }
}

/// A child's output channel is close-on-exec at both ends from its creation, and carries bytes to the end.
@Suite struct OutputChannelTests {
    @Test func bothEndsAreCloseOnExecAndBytesArrive() throws {
        let channel = try outputChannel()
        defer { close(channel.read) }
        #expect(fcntl(channel.read, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(channel.write, F_GETFD) & FD_CLOEXEC != 0)
        let line = Array("line\n".utf8)
        #expect(write(channel.write, line, line.count) == line.count)
        close(channel.write)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(read(channel.read, &buffer, buffer.count) == line.count)
        #expect(read(channel.read, &buffer, buffer.count) == 0)  // the end, once the only write end is closed
    }
}

/// Splitting on an ASCII byte agrees with `split` by `Character` wherever no combining mark follows a separator
/// (there the byte split still splits: HTTP's separators are bytes).
@Suite struct TextPieceTests {
    @Test(arguments: ["/a/b//c/", "", "/", "a=1&b=&=c&&", "GET /x?y HTTP/1.1", "é/ü/日本"])
    func agreesWithCharacterSplit(text: String) {
        for separator: Unicode.Scalar in ["/", "&", "=", " ", "?"] {
            for omitting in [true, false] {
                for maxSplits in [1, Int.max] {
                    #expect(text.split(ascii: separator, maxSplits: maxSplits, omittingEmptySubsequences: omitting)
                        == text.split(separator: Character(separator), maxSplits: maxSplits, omittingEmptySubsequences: omitting))
                    #expect(text.dropFirst().split(ascii: separator, maxSplits: maxSplits, omittingEmptySubsequences: omitting)
                        == text.dropFirst().split(separator: Character(separator), maxSplits: maxSplits,
                                                  omittingEmptySubsequences: omitting))
                }
            }
        }
    }

    @Test func aCombiningMarkAfterASeparatorStillSplits() {
        #expect("a/\u{301}b".split(ascii: "/") == ["a", "\u{301}b"])
        #expect("a/\u{301}b".split(separator: "/") == ["a/\u{301}b"])
    }
}
