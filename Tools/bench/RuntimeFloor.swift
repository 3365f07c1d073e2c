import Glibc
import LocalStack
import Transport

/// `lambda.cpu.floor`: the CPU per warm invocation of the least any runtime must do — write its result and the next
/// poll, read until the next event's bytes are in, with one wake — measured as the CPU time of the one thread doing it
/// (`CLOCK_THREAD_CPUTIME_ID`), against the same server, on the same event. Nothing is parsed beyond the head's
/// request id and length: what a function spends above this figure is its own; below it is the kernel's loopback TCP
/// and the wake-ups between invocations on this machine.
func runtimeFloorMicroseconds(event: [UInt8], warmUp: Int, count: Int) async throws -> Double {
    let server = try RuntimeAPIServer()
    defer { server.shutdown() }
    server.admit(processID: getpid())
    let port = UInt16(server.endpoint.split(separator: ":").last!)!
    let socket = try Socket.connect(host: "127.0.0.1", port: port)
    let measured = FloorResult()
    let client = Thread { measured.nanoseconds = minimalRuntime(socket, warmUp: warmUp, count: count) }
    for _ in 0..<(warmUp + count) { _ = try await server.invoke(InvocationRequest(event: event)) }
    socket.shutdown()
    client.join()
    return Double(measured.nanoseconds) / 1000 / Double(count)
}

private final class FloorResult: @unchecked Sendable {
    var nanoseconds = 0
}

/// Serves invocations with `{}` until the connection ends; the thread's CPU time over the `count` after `warmUp`.
/// Bytes only, found with `memchr` and compared with `strncasecmp`: no `String`, no allocation per invocation.
private func minimalRuntime(_ socket: Socket, warmUp: Int, count: Int) -> Int {
    let next = Array("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
    let resultStart = Array("POST /2018-06-01/runtime/invocation/".utf8)
    let resultEnd = Array("/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".utf8) + next
    var input = [UInt8](repeating: 0, count: 1 << 20), output = [UInt8](repeating: 0, count: 4096)
    var filled = 0
    /// Reads one whole message; its length and the length of its request id, copied to `output` after
    /// `resultStart`; nil when the stream ends.
    func readMessage() -> (length: Int, idLength: Int)? {
        input.withUnsafeMutableBytes { bytes -> (length: Int, idLength: Int)? in
            let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            while true {
                if let headLength = headLength(base, filled) {
                    let length = fieldValue("\r\ncontent-length:", in: base, headLength).map { atoi($0.0) } ?? 0
                    if filled >= headLength + Int(length) {
                        var idLength = 0
                        if let (id, count) = fieldValue("\r\nlambda-runtime-aws-request-id:", in: base, headLength) {
                            output.withUnsafeMutableBytes { _ = memcpy($0.baseAddress! + resultStart.count, id, count) }
                            idLength = count
                        }
                        filled -= headLength + Int(length)
                        memmove(base, base + headLength + Int(length), filled)
                        return (headLength + Int(length), idLength)
                    }
                }
                let read = recv(socket.fd, base + filled, bytes.count - filled, 0)
                guard read > 0 else { return nil }
                filled += read
            }
        }
    }
    output.replaceSubrange(0..<resultStart.count, with: resultStart)
    try? socket.write(next)
    var served = 0, start = 0
    // As the runtime does: the read after a result waits until the answer's usual length is passed (one wake).
    var lowWater: Int32 = 0
    while let (_, idLength) = readMessage() {
        if served == warmUp { start = threadCPUNanoseconds() }
        served += 1
        output.withUnsafeMutableBytes { bytes in
            resultEnd.withUnsafeBytes { _ = memcpy(bytes.baseAddress! + resultStart.count + idLength, $0.baseAddress!, $0.count) }
            _ = send(socket.fd, bytes.baseAddress!, resultStart.count + idLength + resultEnd.count, Int32(MSG_NOSIGNAL))
        }
        if lowWater > 0 { socket.setReceiveLowWater(Int(lowWater)) }
        guard let answer = readMessage() else { break }
        if lowWater > 0 { socket.setReceiveLowWater(1) } else { lowWater = Int32(answer.length + 1) }
    }
    return served > warmUp ? threadCPUNanoseconds() - start : 0
}

/// The length of the head at `bytes` up to its CR LF CR LF, once it is all in.
private func headLength(_ bytes: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int? {
    var at = 0
    while at + 4 <= count, let found = memchr(bytes + at, 13, count - at - 3) {
        let index = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
        if bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 { return index + 4 }
        at = index + 1
    }
    return nil
}

/// Where the value of the field `name` (lower case, with its CR LF and colon) starts in the head, and its length.
private func fieldValue(_ name: String, in head: UnsafeMutablePointer<UInt8>, _ length: Int) -> (UnsafeMutablePointer<CChar>, Int)? {
    let text = UnsafeMutableRawPointer(head).assumingMemoryBound(to: CChar.self)
    var at = 0
    while let lineFeed = memchr(text + at, 10, length - at) {
        let line = lineFeed.assumingMemoryBound(to: CChar.self) - 1
        at = text.distance(to: line) + 2
        guard strncasecmp(line, name, name.utf8.count) == 0 else { continue }
        var value = line + name.utf8.count
        while value.pointee == 32 { value += 1 }
        let end = memchr(value, 13, length - text.distance(to: value))!.assumingMemoryBound(to: CChar.self)
        return (value, value.distance(to: end))
    }
    return nil
}

/// The calling thread's CPU time (user and system).
private func threadCPUNanoseconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return now.tv_sec * 1_000_000_000 + now.tv_nsec
}
