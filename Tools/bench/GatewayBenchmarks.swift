import TransportClient
import LocalStack
import FoundationEssentials
import Glibc
import HTTP
import Transport
import Runtime

/// `gateway.get` (public `GET /wish-list`) and `gateway.post.jwt` (`POST /wish-list` through the JWT authorizer, the
/// handler's scope check and a SQLite write) against `gatehouse serve`, with `wrk` at 16 connections for 10 s.
/// Each line also says how many requests failed (any non-2xx or socket error); the goal is zero.
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

    var lines: [BenchLine] = []
    for (name, arguments) in [("gateway.get", [base + "/wish-list"]), ("gateway.post.jwt", ["-s", script, base + "/wish-list"])] {
        let output = try await FunctionProcess.run("/usr/bin/wrk", arguments: ["-t2", "-c16", "-d10s"] + arguments).lines
        func value(after label: String) -> Double? {
            output.first { $0.contains(label) }.flatMap { $0.split(separator: label).last }.flatMap { Double($0.trimming(" ")) }
        }
        let rate = value(after: "Requests/sec:") ?? 0
        let failures = (value(after: "Non-2xx or 3xx responses:") ?? 0)
            + (output.first { $0.contains("Socket errors") }.map { line in
                line.split(whereSeparator: { !$0.isNumber }).compactMap { Double($0) }.reduce(0, +) } ?? 0)
        lines.append(BenchLine(name: name, value: formatted(rate), unit: "req/s"))
        lines.append(BenchLine(name: name + ".errors", value: formatted(failures), unit: "requests"))
    }
    return lines
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
    _ = output.waitForLine(startingWith: "listening on", after: 0)
    return (stack, port, output)
}

final class Lines: @unchecked Sendable {
    private let lock = ConditionLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line); lock.broadcast() } }

    /// Blocks until more than `count` lines start with `prefix`; the last of them.
    func waitForLine(startingWith prefix: String, after count: Int) -> String {
        lock.withLock {
            lock.wait { lines.filter { $0.hasPrefix(prefix) }.count > count }
            return lines.last { $0.hasPrefix(prefix) } ?? ""
        }
    }

    /// How many lines start with `prefix`.
    func count(startingWith prefix: String) -> Int { lock.withLock { lines.filter { $0.hasPrefix(prefix) }.count } }
}
