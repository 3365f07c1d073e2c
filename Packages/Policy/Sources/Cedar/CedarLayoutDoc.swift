/// A document to lay out within a line width (Wadler's "prettier printer"), laid out exactly as the `pretty` crate
/// (0.12) that Rust's Cedar formatter renders with: a group is flat when it and the text after it up to the next
/// possible line break fit; text is as wide as the terminal shows it; a line break indents as the document after it.
indirect enum CedarLayoutDoc: Sendable {
    case empty
    case text(String)
    /// A line break, or in a flat group the alternative.
    case breakOr(flat: CedarLayoutDoc)
    case hardLine
    case concat(CedarLayoutDoc, CedarLayoutDoc)
    case nest(Int, CedarLayoutDoc)
    case group(CedarLayoutDoc)

    /// A break that is a space when flat.
    static let line = CedarLayoutDoc.breakOr(flat: .text(" "))
    /// A break that is nothing when flat.
    static let softLine = CedarLayoutDoc.breakOr(flat: .empty)
    static let space = CedarLayoutDoc.text(" ")

    /// Empty documents drop out, as the crate's `append` drops them (it matters to where a break indents).
    static func + (left: CedarLayoutDoc, right: CedarLayoutDoc) -> CedarLayoutDoc {
        if case .empty = left { return right }
        if case .empty = right { return left }
        return .concat(left, right)
    }

    func nested(_ offset: Int) -> CedarLayoutDoc {
        if offset == 0 { return self }
        if case .empty = self { return self }
        return .nest(offset, self)
    }

    func grouped() -> CedarLayoutDoc {
        switch self {
        case .empty, .text, .group: self
        default: .group(self)
        }
    }

    static func joined(_ docs: [CedarLayoutDoc], separator: CedarLayoutDoc) -> CedarLayoutDoc {
        guard var result = docs.first else { return .empty }
        for doc in docs.dropFirst() { result = result + separator + doc }
        return result
    }

    /// The text laid out within `width` columns.
    func rendered(width: Int) -> String {
        var layout = Layout(width: width)
        layout.run(self)
        return layout.output
    }
}

private struct Layout {
    enum Mode { case flat, breaking }
    typealias Command = (indent: Int, mode: Mode, doc: CedarLayoutDoc)

    let width: Int
    var output = ""
    var column = 0
    var commands: [Command] = []

    init(width: Int) { self.width = width }

    mutating func run(_ doc: CedarLayoutDoc) {
        commands = [(0, .breaking, doc)]
        while let (indent, mode, doc) = commands.popLast() {
            switch doc {
            case .empty: break
            case .text(let text):
                output += text
                column += Self.width(text)
            case .hardLine: newline(indent)
            case .breakOr(let flat):
                if mode == .flat { commands.append((indent, mode, flat)) } else { newline(indent) }
            case .concat(let left, let right):
                commands.append((indent, mode, right))
                commands.append((indent, mode, left))
            case .nest(let offset, let inner): commands.append((indent + offset, mode, inner))
            case .group(let inner):
                let fits = mode == .flat || fitting(inner)
                commands.append((indent, fits ? .flat : .breaking, inner))
            }
        }
    }

    /// A break indents as the document after it does, when there is one (the crate's rule, which puts a closing
    /// bracket back at its opening's indentation).
    private mutating func newline(_ indent: Int) {
        let indent = commands.last?.indent ?? indent
        output += "\n" + String(repeating: " ", count: indent)
        column = indent
    }

    /// Columns `text` takes: its bytes when ASCII, else its characters' display widths.
    static func width(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.unicodeScalars.reduce(0) { $0 + $1.displayWidth }
    }

    /// Whether `doc` laid flat, and then what follows it up to its first break, ends within the width.
    private func fitting(_ doc: CedarLayoutDoc) -> Bool {
        var position = column
        var pending = [doc]
        var rest = commands.count
        var mode = Mode.flat
        while true {
            let next: CedarLayoutDoc
            if let doc = pending.popLast() {
                next = doc
            } else {
                guard rest > 0 else { return true }
                rest -= 1
                mode = .breaking
                next = commands[rest].doc
            }
            switch next {
            case .empty: break
            case .text(let text):
                position += Self.width(text)
                if position > width { return false }
            case .hardLine: return mode == .breaking
            case .breakOr(let flat):
                if mode == .breaking { return true }
                pending.append(flat)
            case .concat(let left, let right):
                pending.append(right)
                pending.append(left)
            case .nest(_, let inner), .group(let inner): pending.append(inner)
            }
        }
    }
}

private extension Unicode.Scalar {
    /// East Asian wide and full-width characters (and emoji) take two columns; marks and format characters none.
    var displayWidth: Int {
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return 0
        case .format where value != 0xAD: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(value) || value == 0x200B { return 0 }
        return Self.wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F2FF, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
        0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
