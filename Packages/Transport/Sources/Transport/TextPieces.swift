extension StringProtocol where UTF8View.SubSequence == Substring.UTF8View {
    /// The pieces between each `separator` (an ASCII character), found byte by byte. HTTP's separators (`/`, `?`, `&`,
    /// `;`, a space) are bytes; `split` by `Character` walks grapheme clusters, which cost more than the rest of
    /// parsing a request line.
    public func split(ascii separator: Unicode.Scalar, maxSplits: Int = .max,
                      omittingEmptySubsequences: Bool = true) -> [Substring] {
        utf8.split(separator: UInt8(ascii: separator), maxSplits: maxSplits,
                   omittingEmptySubsequences: omittingEmptySubsequences).map { Substring($0) }
    }

    /// Drops leading and trailing characters found in `set`.
    public func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
