import GatehouseTesting
import Glibc
import Transport
@testable import LocalStack
import Runtime

/// Starts the `runtime-echo` function against `server`.
func startEcho(_ server: RuntimeAPIServer, environment: [String: String] = [:],
               lines: LineCollector? = nil) throws -> FunctionProcess {
    var merged = ["AWS_LAMBDA_RUNTIME_API": server.endpoint, "AWS_LAMBDA_FUNCTION_NAME": "echo"]
    merged.merge(environment) { _, new in new }
    let collector = lines ?? LineCollector()
    let process = try FunctionProcess(executable: Repository.builtProducts + "/runtime-echo", environment: merged,
                                      onOutputLine: { collector.append($0) })
    server.admit(processID: process.pid)
    return process
}

/// Collects lines from another thread.
final class LineCollector: @unchecked Sendable {
    private let lock = ConditionLock()
    private var stored: [String] = []

    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
