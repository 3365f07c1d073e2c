import FoundationEssentials
import GatehouseTesting
import Glibc
import HTTPTesting
import LocalStack
import Runtime
import Transport

/// `lambda.cpu.<app>`: the function process's own CPU time (user + system, its CPU-time clock) per warm
/// invocation, the median of 10 rounds of 300 after 300 to warm up, each app on its own event — what Lambda bills
/// beyond the handler's work — and its kernel share alone (`lambda.cpu.<app>.kernel`: the Runtime API's socket calls);
/// `lambda.rss.<app>`: the process's peak resident set (`VmHWM`); `lambda.cpu.floor`: the same exchange done with
/// nothing but bytes (`runtimeFloorMicroseconds`), what no runtime can go below on this machine.
/// `lambda.cpu.wish-list.get-list` is a shared list's read, decided by the Cedar policies in the handler, and
/// `….ratio` it over the plain list's (a public route: no caller, no audit line), `….ratio-to-tenant-list` over a
/// tenant's list (`lambda.cpu.wish-list.tenant-list`: a caller, scopes, a claim check and an audit line, no policy);
/// `lambda.cpu.wish-list.with-claims` is the public list's event carrying a JWT authorizer's claims (read, unchecked);
/// `lambda.cpu.dpop-authorizer` a DPoP check (token and proof signatures).
/// Reference (issue 15, this machine): the same echo on swift-aws-lambda-runtime
/// 2.4 spends 352–372 µs.
let lambdaCPUBenchmarks = Benchmark(name: "lambda") { products in
    let dpop = try DPoPBenchIssuer(audience: "https://api.gatehouse.dev")
    defer { dpop.stop() }
    var environment = ["GATEHOUSE_STORAGE": "memory", "TABLE_NAME": "items", "SESSIONS_TABLE": "sessions",
                       "JWT_AUDIENCE": "https://api.gatehouse.dev", "LOG_LEVEL": "error",
                       "SECRET_KEY": "a-benchmark-secret-that-is-32-bytes-or-more", "GATEHOUSE_IDENTITIES": "/nonexistent"]
    // The DPoP authorizer trusts an OpenID issuer only (bound tokens come from one); the others do not read it here.
    environment["JWT_ISSUER"] = dpop.issuer
    let context = ["principalId": "ada@example.com", "sub": "ada@example.com", "scope": "read:profile",
                   "name": "Ada Lovelace"]
    // A shared list's read (`GET /lists/{id}`, Cedar policies asked in the handler), as carol to whom it is shared;
    // the list is made by a first invocation as ada (the table is the function's memory).
    let ada = ["sub": "auth0|ada@example.com", "email": "ada@example.com", "https://gatehouse.dev/tenant": "acme",
               "scope": "read:profile write:wishlist"]
    let carol = ["sub": "auth0|carol@example.com", "email": "carol@example.com", "https://gatehouse.dev/tenant": "acme",
                 "https://gatehouse.dev/groups": "[members]", "scope": "read:profile write:wishlist"]
    let scopes = ["read:profile", "write:wishlist"]
    let sharedList: [[UInt8]] = [
        try TestEvents.httpAPI("POST", "/lists", body: #"{"name":"Birthday"}"#, claims: ada, scopes: ["write:wishlist"],
                               requestID: "list-1"),
        try TestEvents.httpAPI("POST", "/lists/list-1/shares", body: #"{"user":"carol@example.com","role":"viewer"}"#,
                               claims: ada, scopes: ["write:wishlist"]),
    ]
    // `allowed`: the measured event must be answered 200 (a refusal would measure the wrong path).
    let cases: [(app: String, name: String, setup: [[UInt8]], event: [UInt8], allowed: Bool)] = [
        ("runtime-echo", "runtime-echo", [], Array(#"{"echo":"benchmark"}"#.utf8), false),
        ("profile", "profile", [], try TestEvents.rest("GET", "/profile", context: context), true),
        ("wish-list", "wish-list", [], try TestEvents.httpAPI("GET", "/wish-list"), true),
        // The same public route with a JWT authorizer's claims in its event: what reading them into a caller costs.
        ("wish-list", "wish-list.with-claims", [],
         try TestEvents.httpAPI("GET", "/wish-list", claims: carol, scopes: scopes), true),
        // An authenticated, audited read decided without policies (a tenant's list): what the policies add beyond it.
        ("wish-list", "wish-list.tenant-list", [],
         try TestEvents.httpAPI("GET", "/tenants/acme/wish-list", claims: carol, scopes: scopes), true),
        ("wish-list", "wish-list.get-list", sharedList,
         try TestEvents.httpAPI("GET", "/lists/list-1", claims: carol, scopes: scopes), true),
        ("token-authorizer", "token-authorizer", [], Array(#"{"type":"TOKEN","authorizationToken":"Bearer garbage","methodArn":"arn:aws:execute-api:us-east-1:123456789012:abcdef123/dev/GET/profile"}"#.utf8), false),
        ("request-authorizer", "request-authorizer", [], Array(try Repository.fixture("authorizer-request-event-rest-api.json")), false),
        // A DPoP-bound token and its proof: both signatures checked on every call (the proof is then found replayed).
        ("dpop-authorizer", "dpop-authorizer", [], dpop.event, false),
        // The seed's refresh with a bad token: the auth app's path short of PBKDF2 (a login is `bench auth.login`).
        ("auth", "auth", [], try TestEvents.rest("POST", "/token/refresh", body: #"{"token":"garbage"}"#), false),
    ]
    var lines = [BenchLine(name: "lambda.cpu.floor",
                           value: formatted(try await runtimeFloorMicroseconds(event: cases[0].event, warmUp: 300, count: 3000)),
                           unit: "us")]
    // Every function runs at once and they take turns, ten rounds of 300 invocations each, each round timed by the
    // process's own CPU clock: the median round is the figure, and a burst of load on this shared machine moves one
    // round of every function alike, not one function's whole result.
    var functions: [MeasuredFunction] = []
    for (app, name, setup, event, allowed) in cases {
        functions.append(try await MeasuredFunction(name: name, executable: products + "/" + app, environment: environment,
                                                    setup: setup, event: event, allowed: allowed))
    }
    for _ in 0..<10 {
        for function in functions { try await function.measureRound(count: 300) }
    }
    var perApp: [String: Double] = [:]
    for function in functions {
        let (cpu, kernel) = function.perInvocation
        lines.append(BenchLine(name: "lambda.cpu.\(function.name)", value: formatted(cpu), unit: "us"))
        lines.append(BenchLine(name: "lambda.cpu.\(function.name).kernel", value: formatted(kernel), unit: "us"))
        lines.append(BenchLine(name: "lambda.rss.\(function.name)", value: String(peakResidentKilobytes(of: function.process.pid)),
                               unit: "kB"))
        perApp[function.name] = cpu
        await function.stop()
    }
    // The goal of issue 33: a policy-checked read within 1.2× of the plain list's CPU.
    if let list = perApp["wish-list.get-list"], let plain = perApp["wish-list"],
       let tenant = perApp["wish-list.tenant-list"], plain > 0, tenant > 0 {
        lines.append(BenchLine(name: "lambda.cpu.wish-list.get-list.ratio", value: formatted(list / plain, digits: 2),
                               unit: "x"))
        lines.append(BenchLine(name: "lambda.cpu.wish-list.get-list.ratio-to-tenant-list",
                               value: formatted(list / tenant, digits: 2), unit: "x"))
    }
    return lines
}

/// One function process on its own Runtime API, set up and warmed, measured in rounds.
private final class MeasuredFunction {
    let name: String
    let process: FunctionProcess
    private let server: RuntimeAPIServer
    private let event: [UInt8]
    private var rounds: [Double] = []
    private var kernelTicks = 0, invocations = 0

    /// Starts `executable`, runs the `setup` invocations (each must succeed) and 300 of `event` to warm it; when
    /// `allowed`, `event` must be answered 200.
    init(name: String, executable: String, environment: [String: String], setup: [[UInt8]], event: [UInt8],
         allowed: Bool) async throws {
        self.name = name
        self.event = event
        server = try RuntimeAPIServer()
        var environment = environment
        environment["AWS_LAMBDA_RUNTIME_API"] = server.endpoint
        // Its lines (an EMF line per request; metrics are not gated by LOG_LEVEL) are read and dropped, as Lambda
        // takes them off a function's stdout; inherited, they flooded the bench's own output.
        process = try FunctionProcess(executable: executable, environment: environment, onOutputLine: { _ in })
        server.admit(processID: process.pid)
        try await server.waitUntilPolling()
        for step in setup {
            let setUp = try await server.invoke(InvocationRequest(event: step, requestID: "list-1"))
            guard case .response(let bytes) = setUp, String(decoding: bytes, as: UTF8.self).contains(#""statusCode":2"#) else {
                throw BenchFailure("\(name): the setup invocation failed: \(setUp)")
            }
        }
        for _ in 0..<300 {
            let warm = try await server.invoke(InvocationRequest(event: event))
            if allowed {
                guard case .response(let bytes) = warm, String(decoding: bytes, as: UTF8.self).contains(#""statusCode":200"#) else {
                    throw BenchFailure("\(name): the measured invocation is refused: \(warm)")
                }
            }
        }
    }

    /// `count` invocations, their CPU time per invocation kept as one round.
    func measureRound(count: Int) async throws {
        let before = cpuNanoseconds(of: process.pid), kernelBefore = cpuTicks(of: process.pid, kernelOnly: true)
        for _ in 0..<count { _ = try await server.invoke(InvocationRequest(event: event)) }
        rounds.append(Double(cpuNanoseconds(of: process.pid) - before) / 1000 / Double(count))
        kernelTicks += cpuTicks(of: process.pid, kernelOnly: true) - kernelBefore
        invocations += count
    }

    /// Microseconds per invocation: the median round's CPU time, and the kernel's share over all rounds.
    var perInvocation: (cpu: Double, kernel: Double) {
        (median(rounds), Double(kernelTicks) * 1e6 / Double(sysconf(Int32(_SC_CLK_TCK))) / Double(max(invocations, 1)))
    }

    func stop() async {
        process.kill()
        _ = await process.exitCode()
        server.shutdown()
    }
}

/// A benchmark that could not measure what it names.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
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

/// The CPU time process `pid` has run, all its threads (ended ones too), user and system together, in nanoseconds:
/// its CPU-time clock (`clock_getcpuclockid`), the scheduler's own count, finer than `stat`'s ticks.
func cpuNanoseconds(of pid: Int32) -> Int {
    var clock = clockid_t()
    var time = timespec()
    guard clock_getcpuclockid(pid, &clock) == 0, clock_gettime(clock, &time) == 0 else { return 0 }
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

/// The peak resident set of process `pid` in kB (`VmHWM` of `/proc/PID/status`).
func peakResidentKilobytes(of pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}
