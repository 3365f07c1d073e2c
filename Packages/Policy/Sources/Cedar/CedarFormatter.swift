/// Cedar's canonical layout of policy text — what `cedar format` (Rust's `cedar-policy-formatter`) writes, byte for
/// byte: 80 columns, indents of two, comments kept beside the token they were written at.
public enum CedarFormatter {
    /// Why text could not be formatted: it does not parse, or (a bug) the layout would change what it means.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The policies in `text`, laid out; the text must parse as a policy set.
    public static func format(_ text: String) throws(Failure) -> String {
        let (policies, endOfFile) = try laidOut(text)
        return policies.joined(separator: "\n\n") + "\n" + endOfFile.map { $0 + "\n" }.joined()
    }

    /// Each policy of `text` laid out on its own, with the comments written before and in it (the comments after
    /// the last policy belong to none), in order: one policy a text, as a Verified Permissions store keeps them.
    public static func formatEach(_ text: String) throws(Failure) -> [String] {
        try laidOut(text).policies
    }

    private static func laidOut(_ text: String) throws(Failure) -> (policies: [String], endOfFile: [String]) {
        let original: CedarPolicySet
        let tokens: [CedarToken]
        let syntax: [CedarSyntax]
        do {
            original = try CedarPolicySet(text: text)
            tokens = try CedarLexer.tokens(text)
            var reader = CedarSyntaxReader(tokens: tokens)
            syntax = try reader.policies()
        } catch {
            throw Failure(description: error.description)
        }
        var builder = CedarLayoutBuilder(comments: CedarComments(text: text, tokens: tokens))
        let policies = syntax.map { policy in CedarLayoutText.removingBlankLines(builder.doc(policy).rendered(width: 80)) }
        guard let formatted = try? CedarPolicySet(text: policies.joined(separator: "\n\n")),
              formatted.jsonBytes == original.jsonBytes else {
            throw Failure(description: "internal error: the layout changed the policies")
        }
        return (policies, builder.comments.endOfFile)
    }
}

/// The comments around each token, taken once each as the layout places them: a comment on the token's own line
/// after it trails it; comments on the lines before it lead it.
struct CedarComments {
    struct Comment {
        var leading: [String] = []
        var trailing = ""
    }

    private var byToken: [Comment]
    let endOfFile: [String]

    init(text: String, tokens: [CedarToken]) {
        let scalars = Array(text.unicodeScalars)
        let real = tokens.filter { $0.kind != .end }
        byToken = Array(repeating: Comment(), count: real.count)
        var leadingText = scalars[0..<(real.first?.start ?? scalars.count)]
        for (index, token) in real.enumerated() {
            let between = scalars[token.end..<(index + 1 < real.count ? real[index + 1].start : scalars.count)]
            let newline = between.firstIndex(of: "\n")
            let trailing = between[..<(newline ?? between.endIndex)]
            byToken[index] = Comment(leading: Self.commentLines(leadingText), trailing: Self.trimmed(trailing))
            leadingText = newline.map { between[($0 + 1)...] } ?? []
        }
        endOfFile = Self.commentLines(leadingText)
    }

    /// Takes the token's comments (later takers get none).
    mutating func take(_ token: Int) -> Comment {
        guard byToken.indices.contains(token) else { return Comment() }
        defer { byToken[token] = Comment() }
        return byToken[token]
    }

    /// Takes only the comment lines before the token.
    mutating func takeLeading(_ token: Int) -> [String] {
        guard byToken.indices.contains(token) else { return [] }
        defer { byToken[token].leading = [] }
        return byToken[token].leading
    }

    /// The text without white space at either end.
    static func trimmed(_ text: ArraySlice<Unicode.Scalar>) -> String {
        let start = text.firstIndex { !$0.properties.isWhitespace } ?? text.endIndex
        let end = text.lastIndex { !$0.properties.isWhitespace }.map { $0 + 1 } ?? start
        return String(String.UnicodeScalarView(text[start..<max(start, end)]))
    }

    /// Each `//` comment in white space and comments, trimmed.
    private static func commentLines(_ text: ArraySlice<Unicode.Scalar>) -> [String] {
        var lines: [String] = []
        var index = text.startIndex
        while index + 1 < text.endIndex {
            guard text[index] == "/", text[index + 1] == "/" else { index += 1; continue }
            let end = text[index...].firstIndex { $0 == "\n" || $0 == "\r" } ?? text.endIndex
            lines.append(trimmed(text[index..<end]))
            index = end
        }
        return lines
    }
}

/// The post-pass of Rust's formatter: blank lines go, except inside string literals; the result is trimmed.
enum CedarLayoutText {
    static func removingBlankLines(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output: [Unicode.Scalar] = [], index = 0, segmentStart = 0
        while index < scalars.count {
            let end: Int?
            if scalars[index] == "/", index + 1 < scalars.count, scalars[index + 1] == "/" {
                end = scalars[index...].firstIndex { $0 == "\n" || $0 == "\r" } ?? scalars.count
            } else if scalars[index] == "\"" {
                end = stringEnd(scalars, from: index)
            } else {
                end = nil
            }
            guard let end else { index += 1; continue }
            output += withoutBlankInteriorLines(scalars[segmentStart..<index]) + scalars[index..<end]
            index = end
            segmentStart = end
        }
        output += withoutBlankInteriorLines(scalars[segmentStart...])
        return CedarComments.trimmed(output[...])
    }

    /// Just past the closing quote of the string literal opening at `start`.
    private static func stringEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var position = start + 1
        while position < scalars.count {
            switch scalars[position] {
            case "\"": return position + 1
            case "\\":
                guard position + 1 < scalars.count, scalars[position + 1] != "\n" else { return nil }
                position += 2
            default: position += 1
            }
        }
        return nil
    }

    /// Drops the lines of only white space that end in a newline; a leading newline stays.
    private static func withoutBlankInteriorLines(_ text: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = text.first == "\n" ? ["\n"] : []
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            let newline = text[lineStart...].firstIndex(of: "\n")
            let lineEnd = newline.map { $0 + 1 } ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            if newline == nil || line.contains(where: { !$0.properties.isWhitespace }) { output += line }
            lineStart = lineEnd
        }
        return output
    }
}
