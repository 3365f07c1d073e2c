extension StringProtocol where UTF8View.SubSequence == Substring.UTF8View {
    /// The pieces between each `separator` (an ASCII character), found byte by byte. HTTP's separators (`/`, `?`, `&`,
    /// `;`, a space) are bytes; `split` by `Character` walks grapheme clusters, which cost more than the rest of
    /// parsing a request line.
    public func split(ascii separator: Unicode.Scalar, maxSplits: Int = .max,
                      omittingEmptySubsequences: Bool = true) -> [Substring] {
        let text = Substring(self)
        let byte = UInt8(ascii: separator)
        // Byte offsets of the pieces, found in the contiguous UTF-8 (the same rules as the standard library's split).
        let ranges: [Range<Int>]? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var ranges: [Range<Int>] = []
            guard maxSplits > 0, !bytes.isEmpty else {
                return bytes.isEmpty && omittingEmptySubsequences ? [] : [0..<bytes.count]
            }
            var start = 0
            for position in bytes.indices where bytes[position] == byte {
                if position > start || !omittingEmptySubsequences {
                    ranges.append(start..<position)
                }
                start = position + 1
                if ranges.count == maxSplits { break }
            }
            if start < bytes.count || !omittingEmptySubsequences { ranges.append(start..<bytes.count) }
            return ranges
        }
        guard let ranges else {
            return text.split(separator: Character(separator), maxSplits: maxSplits,
                              omittingEmptySubsequences: omittingEmptySubsequences)
        }
        let utf8 = text.utf8
        return ranges.map { range in
            text[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
        }
    }

    /// Drops leading and trailing characters found in `set`.
    public func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
