import Glibc

/// Milliseconds since the Unix epoch (the unit of `Lambda-Runtime-Deadline-Ms`): the one wall clock of the servers
/// and the runtime.
public func wallClockMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

/// A fresh request id in UUID form (version 4).
public func newRequestID() -> String {
    var generator = SystemRandomNumberGenerator()
    var bytes = randomBytes(16, using: &generator)
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    var text: [UInt8] = []
    text.reserveCapacity(36)
    for (index, byte) in bytes.enumerated() {
        if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
        appendHex(byte, to: &text)
    }
    return String(decoding: text, as: UTF8.self)
}

/// A new X-Ray trace header: `Root=1-<8 hex seconds>-<24 hex>;Sampled=0`.
public func newTraceID(nowMilliseconds: Int64) -> String {
    var generator = SystemRandomNumberGenerator()
    var random: [UInt8] = []
    for byte in randomBytes(12, using: &generator) { appendHex(byte, to: &random) }
    return "Root=1-\(String(nowMilliseconds / 1000, radix: 16))-\(String(decoding: random, as: UTF8.self));Sampled=0"
}

/// `count` random bytes, drawn eight at a time (each draw is a system call).
private func randomBytes(_ count: Int, using generator: inout SystemRandomNumberGenerator) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 7)
    while bytes.count < count { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
    return Array(bytes.prefix(count))
}

/// Appends `byte` as two lowercase hex digits.
private func appendHex(_ byte: UInt8, to text: inout [UInt8]) {
    let digits: StaticString = "0123456789abcdef"
    text.append(digits.utf8Start[Int(byte >> 4)])
    text.append(digits.utf8Start[Int(byte & 0x0F)])
}

/// Nanoseconds of the monotonic clock, for durations (never goes back, unlike the wall clock).
public func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
