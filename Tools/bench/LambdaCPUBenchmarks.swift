import FoundationEssentials
import GatehouseTesting
import Glibc
import HTTPTesting
import LocalStack
import Runtime
import Transport

/// `lambda.cpu.<app>`: the function process's own CPU time (user + system, `/proc/PID/stat`) per warm invocation,
/// over 3,000 invocations after 300 to warm up, each app on its own event — what Lambda bills beyond the handler's
/// work — and its kernel share alone (`lambda.cpu.<app>.kernel`: the Runtime API's socket calls); `lambda.rss.<app>`:
/// the process's peak resident set (`VmHWM`); `lambda.cpu.floor`: the same exchange done with nothing but bytes
/// (`runtimeFloorMicroseconds`), what no runtime can go below on this machine. Reference (issue 15, this machine):
/// the same echo on swift-aws-lambda-runtime 2.4 spends 352–372 µs.
let lambdaCPUBenchmarks = Benchmark(name: "lambda") { products in
    let environment = ["GATEHOUSE_STORAGE": "memory", "TABLE_NAME": "items", "SESSIONS_TABLE": "sessions",
                       "JWT_AUDIENCE": "https://api.gatehouse.dev", "LOG_LEVEL": "error",
                       "SECRET_KEY": "a-benchmark-secret-that-is-32-bytes-or-more", "GATEHOUSE_IDENTITIES": "/nonexistent"]
    let context = ["principalId": "ada@example.com", "sub": "ada@example.com", "scope": "read:profile",
                   "name": "Ada Lovelace"]
    let cases: [(app: String, event: [UInt8])] = [
        ("runtime-echo", Array(#"{"echo":"benchmark"}"#.utf8)),
        ("profile", try TestEvents.rest("GET", "/profile", context: context)),
        ("wish-list", try TestEvents.httpAPI("GET", "/wish-list")),
        ("token-authorizer", Array(#"{"type":"TOKEN","authorizationToken":"Bearer garbage","methodArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef123/dev/GET/profile"}"#.utf8)),
        ("request-authorizer", Array(try Repository.fixture("authorizer-request-event-rest-api.json"))),
        // The seed's refresh with a bad token: the auth app's path short of PBKDF2 (a login is `bench auth.login`).
        ("auth", try TestEvents.rest("POST", "/token/refresh", body: #"{"token":"garbage"}"#)),
    ]
    var lines = [BenchLine(name: "lambda.cpu.floor",
                           value: formatted(try await runtimeFloorMicroseconds(event: cases[0].event, warmUp: 300, count: 3000)),
                           unit: "us")]
    for (app, event) in cases {
        let server = try RuntimeAPIServer()
        var env = environment
        env["AWS_LAMBDA_RUNTIME_API"] = server.endpoint
        // Its lines (an EMF line per request; metrics are not gated by LOG_LEVEL) are read and dropped, as Lambda
        // takes them off a function's stdout; inherited, they flooded the bench's own output.
        let process = try FunctionProcess(executable: products + "/" + app, environment: env, onOutputLine: { _ in })
        server.admit(processID: process.pid)
        try await server.waitUntilPolling()
        for _ in 0..<300 { _ = try await server.invoke(InvocationRequest(event: event)) }
        let before = cpuTicks(of: process.pid), kernelBefore = cpuTicks(of: process.pid, kernelOnly: true)
        let count = 3000
        for _ in 0..<count { _ = try await server.invoke(InvocationRequest(event: event)) }
        let ticks = cpuTicks(of: process.pid) - before, kernelTicks = cpuTicks(of: process.pid, kernelOnly: true) - kernelBefore
        func perInvocation(_ ticks: Int) -> String {
            formatted(Double(ticks) * 1e6 / Double(sysconf(Int32(_SC_CLK_TCK))) / Double(count))
        }
        lines.append(BenchLine(name: "lambda.cpu.\(app)", value: perInvocation(ticks), unit: "us"))
        lines.append(BenchLine(name: "lambda.cpu.\(app).kernel", value: perInvocation(kernelTicks), unit: "us"))
        lines.append(BenchLine(name: "lambda.rss.\(app)", value: String(peakResidentKilobytes(of: process.pid)), unit: "kB"))
        process.kill()
        _ = await process.exitCode()
        server.shutdown()
    }
    return lines
}

/// User plus system CPU time of process `pid` (or its system time alone), in clock ticks (fields 14 and 15 of
/// `/proc/PID/stat`).
func cpuTicks(of pid: Int32, kernelOnly: Bool = false) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let end = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: end)...].split(separator: " ")
    // After the command: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
    return kernelOnly ? system : user + system
}

/// The peak resident set of process `pid` in kB (`VmHWM` of `/proc/PID/status`).
func peakResidentKilobytes(of pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}
