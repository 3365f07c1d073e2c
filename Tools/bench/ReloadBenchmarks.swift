import FoundationEssentials
import Glibc
import LocalStack
import Transport
import TransportClient

/// `stack.reload.app` and `stack.reload.package`: with `gatehouse serve --watch` on the release build (what
/// `make run` starts), the time from writing a source file — the wish list's routes, then the HTTP package's
/// router — to the first answer of `GET /wish-list` after the reload swapped the rebuilt executables in. Each file
/// gets a comment line and is restored afterwards (that rebuild is waited for, not measured). Goals: ≤ 5 s, ≤ 12 s.
let reloadBenchmarks = Benchmark(name: "stack.reload") { products in
    let (stack, port, output) = try startStack(products, arguments: ["--watch"])
    defer { stack.kill(15) }
    let client = try HTTPClient()
    var lines: [BenchLine] = []
    for (name, file) in [("app", "Apps/WishList/Sources/WishList/Routes.swift"),
                         ("package", "Packages/HTTP/Sources/HTTP/Router.swift")] {
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        let reloads = output.count(startingWith: "reload:")
        let start = monotonicNanoseconds()
        try (original + Data("\n// reload benchmark\n".utf8)).write(to: URL(fileURLWithPath: file))
        let line = output.waitForLine(startingWith: "reload:", after: reloads) ?? "the stack stopped"
        let answer = try await client.get("http://127.0.0.1:\(port)/wish-list")
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        try original.write(to: URL(fileURLWithPath: file))
        _ = output.waitForLine(startingWith: "reload:", after: reloads + 1)
        guard line.contains("rebuilt"), answer.status == 200 else {
            print("stack.reload.\(name): \(line) (answer \(answer.status))")
            continue
        }
        lines.append(BenchLine(name: "stack.reload.\(name)", value: formatted(seconds, digits: 1), unit: "s"))
    }
    return lines
}
