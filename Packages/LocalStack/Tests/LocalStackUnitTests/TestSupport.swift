import Glibc
import Transport
@testable import LocalStack
import Runtime

/// The folder holding the test binary, where SwiftPM also puts the executables it built.
func builtProductsDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    let path = String(decoding: buffer[0..<max(0, count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var directory = path
    while let slash = directory.lastIndex(of: "/") {
        directory = String(directory[..<slash])
        if !directory.hasSuffix(".xctest") && !directory.contains(".xctest/") { break }
    }
    return directory
}

/// Starts the `runtime-echo` function against `server`.
func startEcho(_ server: RuntimeAPIServer, environment: [String: String] = [:],
               lines: LineCollector? = nil) throws -> FunctionProcess {
    var merged = ["AWS_LAMBDA_RUNTIME_API": server.endpoint, "AWS_LAMBDA_FUNCTION_NAME": "echo"]
    merged.merge(environment) { _, new in new }
    let collector = lines ?? LineCollector()
    let process = try FunctionProcess(executable: builtProductsDirectory() + "/runtime-echo", environment: merged,
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
