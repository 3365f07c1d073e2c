import Transport
import LocalStack
import Glibc
import Runtime

/// `runtime.invoke`: 10k warm invocations of `runtime-echo` through the in-process Runtime API server;
/// `runtime.invoke.overhead`: per invocation beyond its two loopback round trips (`/next`, `/response`);
/// `runtime.coldstart`: spawn of `runtime-echo` to its first `/next`, median of 50.
let runtimeBenchmarks = Benchmark(name: "runtime") { products in
    let executable = products + "/runtime-echo"
    let event = Array(#"{"echo":"benchmark"}"#.utf8)

    let server = try RuntimeAPIServer()
    let process = try FunctionProcess(executable: executable, environment: ["AWS_LAMBDA_RUNTIME_API": server.endpoint,
                                                                             "LOG_LEVEL": "error"])
    server.admit(processID: process.pid)
    try await server.waitUntilPolling()
    for _ in 0..<500 { _ = try await server.invoke(InvocationRequest(event: event)) }
    let count = 10_000
    let start = monotonicNanoseconds()
    for _ in 0..<count { _ = try await server.invoke(InvocationRequest(event: event)) }
    let perInvocation = Double(monotonicNanoseconds() - start) / Double(count)
    process.kill()
    server.shutdown()

    let roundTrip = loopbackRoundTripNanoseconds()

    var coldStarts: [Double] = []
    for _ in 0..<50 {
        let server = try RuntimeAPIServer()
        let begin = monotonicNanoseconds()
        let process = try FunctionProcess(executable: executable, environment: ["AWS_LAMBDA_RUNTIME_API": server.endpoint])
        server.admit(processID: process.pid)
        try await server.waitUntilPolling()
        coldStarts.append(Double(monotonicNanoseconds() - begin) / 1_000_000)
        process.kill()
        _ = await process.exitCode()
        server.shutdown()
    }
    return [
        BenchLine(name: "runtime.invoke", value: formatted(1e9 / perInvocation), unit: "inv/s"),
        BenchLine(name: "runtime.invoke.overhead", value: formatted(max(0, perInvocation - 2 * roundTrip) / 1000, digits: 1),
                  unit: "us"),
        BenchLine(name: "runtime.loopback.rtt", value: formatted(roundTrip / 1000, digits: 1), unit: "us"),
        BenchLine(name: "runtime.coldstart", value: formatted(median(coldStarts), digits: 2), unit: "ms"),
    ]
}

/// The median time of a 64-byte TCP ping-pong between two threads on loopback: the floor under any
/// request/response over 127.0.0.1 on this machine.
func loopbackRoundTripNanoseconds() -> Double {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            _ = bind(listener, $0, length)
            _ = listen(listener, 1)
            _ = getsockname(listener, $0, &length)
        }
    }
    let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = connect(client, $0, length) }
    }
    let server = accept(listener, nil, nil)
    var one: Int32 = 1
    for fd in [client, server] { setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(4)) }
    let rounds = 20_000
    let echo = Thread { var buffer = [UInt8](repeating: 0, count: 64)
        for _ in 0..<rounds {
            _ = recv(server, &buffer, 64, Int32(MSG_WAITALL))
            _ = send(server, buffer, 64, 0)
        }
    }
    var buffer = [UInt8](repeating: 7, count: 64)
    let start = monotonicNanoseconds()
    for _ in 0..<rounds {
        _ = send(client, buffer, 64, 0)
        _ = recv(client, &buffer, 64, Int32(MSG_WAITALL))
    }
    let elapsed = Double(monotonicNanoseconds() - start) / Double(rounds)
    echo.join()
    for fd in [client, server, listener] { close(fd) }
    return elapsed
}

/// A joinable OS thread.
final class Thread: @unchecked Sendable {
    private var thread = pthread_t()

    init(_ body: @escaping () -> Void) {
        final class Box { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        pthread_create(&thread, nil, { Unmanaged<Box>.fromOpaque($0!).takeRetainedValue().body(); return nil }, box)
    }

    func join() { pthread_join(thread, nil) }
}
