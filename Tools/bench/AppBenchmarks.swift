import Transport
import LocalStack
import Glibc
import Runtime

/// `app.<name>.coldstart`: each packaged `bootstrap` (build/lambda, from `make package`: static, stripped) from
/// spawn to its first `/next`, through init (configuration, storage opening), median of 20.
let appBenchmarks = Benchmark(name: "app") { _ in
    var lines: [BenchLine] = []
    let environment = ["GATEHOUSE_STORAGE": "memory", "TABLE_NAME": "items", "SESSIONS_TABLE": "sessions",
                       "JWT_AUDIENCE": "https://api.gatehouse.dev",
                       "SECRET_KEY": "a-benchmark-secret-that-is-32-bytes-or-more", "GATEHOUSE_IDENTITIES": "/nonexistent"]
    for app in ["wish-list", "profile", "token-authorizer", "request-authorizer", "auth"] {
        let executable = "build/lambda/\(app)/bootstrap"
        guard access(executable, X_OK) == 0 else { continue }
        var samples: [Double] = []
        for _ in 0..<20 {
            let server = try RuntimeAPIServer()
            var env = environment
            env["AWS_LAMBDA_RUNTIME_API"] = server.endpoint
            let start = monotonicNanoseconds()
            let process = try FunctionProcess(executable: executable, environment: env)
            server.admit(processID: process.pid)
            try await server.waitUntilPolling()
            samples.append(Double(monotonicNanoseconds() - start) / 1e6)
            process.kill()
            _ = await process.exitCode()
            server.shutdown()
        }
        lines.append(BenchLine(name: "app.\(app).coldstart", value: formatted(median(samples), digits: 2), unit: "ms"))
    }
    return lines
}
