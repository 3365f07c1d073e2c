import TransportClient
import LocalStack
import FoundationEssentials
import Glibc
@_spi(Gatehouse) import HTTP
import Transport
import Runtime
import Storage
import WishList

/// `gateway.get` (public `GET /wish-list`) and `gateway.post.jwt` (`POST /wish-list` through the JWT authorizer, the
/// handler's scope check and a SQLite write) against `gatehouse serve`, with `wrk` at 16 connections for 10 s.
/// Each line also says how many requests failed (any non-2xx or socket error); the goal is zero.
/// `gateway.<case>.emulator`: the CPU `gatehouse serve` itself spends per request (its process's user + system time
/// over the run, divided by the requests answered): the emulator's own cost, the function's work not included.
/// `gateway.reference.get`: the same wish-list application answering the same `GET` straight from the HTTP server
/// in this process (a SQLite file, no gateway, no Lambda hop), run just before the stack's; `.cpu` is this process's
/// CPU per request then (the app's own work, the server's and `wrk`'s share of the machine aside).
let gatewayBenchmarks = Benchmark(name: "gateway") { products in
    guard access("/usr/bin/wrk", X_OK) == 0 else {
        print("gateway benchmarks skipped: wrk is not installed (apt-get install wrk)")
        return []
    }
    let (stack, port, _) = try startStack(products)
    defer { stack.kill(15) }
    var folder = Array("/tmp/gatehouse-gateway-XXXXXX".utf8CString)
    let scripts = String(cString: mkdtemp(&folder)!)
    let base = "http://127.0.0.1:\(port)"

    let client = try HTTPClient()
    let issued = try await client.send("POST", base + "/idp/oauth/token", headers: [("Content-Type", "application/json")], body: Array(
        #"{"grant_type":"client_credentials","client_id":"dev-service","client_secret":"dev-service-secret"}"#.utf8))
    struct Issued: Decodable { var access_token: String }
    let token = try JSONDecoder().decode(Issued.self, from: Data(issued.body)).access_token
    _ = try await client.get(base + "/wish-list")  // warm the instance

    let script = scripts + "/post.lua"
    let lua = """
        wrk.method = "POST"
        wrk.body = '{"name":"benchmark item","url":"https://example.com/item"}'
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer \(token)"
        """
    let file = fopen(script, "w")
    fputs(lua, file)
    fclose(file)
    _ = try await client.send("POST", base + "/wish-list", headers: [("Authorization", "Bearer \(token)")],
                              body: Array(#"{"name":"warm"}"#.utf8))

    // The reference holds what the stack's table holds when `gateway.get` runs: one public item.
    let table = try StorageBackend.sqlite(path: scripts + "/reference.sqlite").openTable(name: "items",
                                                                                          schema: WishListStore.schema)
    let store = WishListStore(table: table)
    try await store.add(NewItem(name: "warm").validated(id: "warm"), by: "dev-service@clients", tenant: nil)
    let application = WishListRoutes.application(table: table, policies: nil)
    let reference = try HTTPServer { await application.respond(to: $0) }
    defer { reference.shutdown() }
    let referenceRun = try await Load.run(["http://127.0.0.1:\(reference.port)/wish-list"], measuring: getpid())
    var lines = [BenchLine(name: "gateway.reference.get", value: formatted(referenceRun.rate), unit: "req/s"),
                 BenchLine(name: "gateway.reference.get.cpu", value: formatted(referenceRun.cpuPerRequest, digits: 1),
                           unit: "us")]
    for (name, arguments) in [("gateway.get", [base + "/wish-list"]), ("gateway.post.jwt", ["-s", script, base + "/wish-list"])] {
        let run = try await Load.run(arguments, measuring: stack.pid)
        lines.append(BenchLine(name: name, value: formatted(run.rate), unit: "req/s"))
        lines.append(BenchLine(name: name + ".errors", value: formatted(run.failures), unit: "requests"))
        lines.append(BenchLine(name: name + ".emulator", value: formatted(run.cpuPerRequest, digits: 1), unit: "us"))
    }
    return lines
}

/// One `wrk` run (2 threads, 16 connections, 10 s) and the CPU a process spent meanwhile.
struct Load {
    var rate: Double
    /// Non-2xx answers plus socket errors.
    var failures: Double
    /// Microseconds of the measured process's CPU per request answered.
    var cpuPerRequest: Double

    static func run(_ arguments: [String], measuring pid: Int32) async throws -> Load {
        let before = cpuTicks(of: pid)
        let output = try await FunctionProcess.run("/usr/bin/wrk", arguments: ["-t2", "-c16", "-d10s"] + arguments, deadline: 60).lines
        let ticks = cpuTicks(of: pid) - before
        func value(after label: String) -> Double? {
            output.first { $0.contains(label) }.flatMap { $0.split(separator: label).last }.flatMap { Double($0.trimming(" ")) }
        }
        let requests = output.first { $0.contains(" requests in ") }.flatMap { Double($0.trimming(" ").prefix { $0 != " " }) } ?? 0
        let failures = (value(after: "Non-2xx or 3xx responses:") ?? 0)
            + (output.first { $0.contains("Socket errors") }.map { line in
                line.split(whereSeparator: { !$0.isNumber }).compactMap { Double($0) }.reduce(0, +) } ?? 0)
        let seconds = Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
        return Load(rate: value(after: "Requests/sec:") ?? 0, failures: failures,
                    cpuPerRequest: requests > 0 ? seconds * 1e6 / requests : 0)
    }
}

/// The lines of a running child, watched while it runs (`gatehouse serve` says when it listens).
/// `gatehouse serve` (with `arguments` added) on a free port with fresh data, once it listens: the process, its port
/// and every line it writes.
func startStack(_ products: String, arguments: [String] = []) throws -> (FunctionProcess, UInt16, Lines) {
    var folder = Array("/tmp/gatehouse-stack-bench-XXXXXX".utf8CString)
    let data = String(cString: mkdtemp(&folder)!)
    let probe = try Socket.listen(host: "127.0.0.1", port: 0)
    let port = probe.localPort
    probe.shutdown()
    let output = Lines()
    let stack = try FunctionProcess(executable: products + "/gatehouse", arguments: ["serve", "--port", String(port)] + arguments,
                                    environment: ["GATEHOUSE_DATA": data, "GATEHOUSE_PARENT_PID": String(getpid())],
                                    onOutputLine: { output.append($0) })
    // A stack that stops before it listens (run from another folder than the project's, a refused template) ends
    // the wait, and the bench says why, rather than wait for ever.
    Task { _ = await stack.exitCode(); output.close() }
    guard output.waitForLine(startingWith: "listening on", after: 0) != nil else {
        throw BenchFailure("gatehouse serve stopped before listening: \(output.last ?? "no output")")
    }
    return (stack, port, output)
}

final class Lines: @unchecked Sendable {
    private let lock = ConditionLock()
    private var lines: [String] = []

    private var closed = false

    func append(_ line: String) { lock.withLock { lines.append(line); lock.broadcast() } }

    /// No more lines will come (the process ended).
    func close() { lock.withLock { closed = true; lock.broadcast() } }

    /// The last line written.
    var last: String? { lock.withLock { lines.last } }

    /// Blocks until more than `count` lines start with `prefix`: the last of them; nil when the lines end first.
    func waitForLine(startingWith prefix: String, after count: Int) -> String? {
        lock.withLock {
            lock.wait { closed || lines.filter { $0.hasPrefix(prefix) }.count > count }
            guard lines.filter({ $0.hasPrefix(prefix) }).count > count else { return nil }
            return lines.last { $0.hasPrefix(prefix) }
        }
    }

    /// How many lines start with `prefix`.
    func count(startingWith prefix: String) -> Int { lock.withLock { lines.filter { $0.hasPrefix(prefix) }.count } }
}
