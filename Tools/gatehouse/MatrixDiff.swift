import Foundation
import HTTP
import LocalStack
import Synchronization
import Transport

/// `gatehouse matrix --diff REV`: the review a policy change needs. Two stacks of this tree start on free ports with
/// fresh data — one deciding with the policy files as they are, one with the files as they were at git revision
/// `REV` (`GATEHOUSE_POLICY_OVERLAY`) — each is called as every dev identity, and exactly the cells whose answer
/// differs are printed, `ROUTE × IDENTITY: BEFORE → NOW`.
struct MatrixDiff {
    let templatePath: String
    let identitiesPath: String
    let described: DescribedTemplate

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func lines(against revision: String) async throws -> [String] {
        let root = templatePath.contains("/") ? String(templatePath[..<templatePath.lastIndex(of: "/")!]) : "."
        let overlay = try Self.policies(at: revision, root: root)
        defer { try? FileManager.default.removeItem(atPath: overlay) }
        let before = try await matrix(environment: ["GATEHOUSE_POLICY_OVERLAY": overlay])
        // Now: the files of this tree (`<root>/Apps/<App>/policies`), whichever source the executables were built from.
        let now = try await matrix(environment: ["GATEHOUSE_POLICY_OVERLAY": Self.absolute(root) + "/Apps"])
        var changed: [String] = []
        for (row, beforeRow) in zip(now.rows, before.rows) where row.route == beforeRow.route {
            for (index, cell) in row.cells.enumerated() where index < beforeRow.cells.count && cell != beforeRow.cells[index] {
                changed.append("\(row.route) × \(now.columns[index]): \(beforeRow.cells[index].text) → \(cell.text)")
            }
        }
        return changed
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + (path == "." ? "" : "/" + path)
    }

    /// Every app's `policies/` files at `revision`, written under a new folder as `<App>/policies/<file>`.
    static func policies(at revision: String, root: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-policies-\(UUID().uuidString)").path
        let listing = try git(["ls-tree", "-r", "--name-only", revision, "--", "Apps"], in: root)
        for path in listing.split(separator: "\n") where path.split(separator: "/").count == 4 && path.contains("/policies/") {
            let parts = path.split(separator: "/")
            let directory = folder + "/" + parts[1] + "/policies"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(try git(["show", "\(revision):\(path)"], in: root).utf8).write(to: URL(fileURLWithPath: directory + "/" + parts[3]))
        }
        return folder
    }

    private static func git(_ arguments: [String], in folder: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "git \(arguments.joined(separator: " ")): "
                + String(decoding: errors.fileHandleForReading.readDataToEndOfFile().prefix(300), as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The matrix of a stack of this tree started with `environment` added, on a free port, with fresh data.
    private func matrix(environment: [String: String]) async throws -> AuthorizationMatrix {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-diff-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let probe = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = probe.localPort
        probe.shutdown()
        let ready = ReadyLine()
        let stack = try FunctionProcess(
            executable: InvokeCommand.executableDirectory() + "/gatehouse",
            arguments: ["serve", "--port", String(port), "--template", templatePath],
            environment: environment.merging(["GATEHOUSE_DATA": data, "GATEHOUSE_IDENTITIES": identitiesPath,
                                              "GATEHOUSE_STORAGE": "sqlite:\(data)/stack.sqlite",
                                              "GATEHOUSE_PARENT_PID": String(getpid())]) { _, own in own },
            onOutputLine: { line in if line.hasPrefix("listening on") { ready.signal() } })
        defer { stack.kill() }
        guard await ready.wait(unless: stack) else { throw Failure(description: "the stack for the diff did not start") }
        return try await AuthorizationMatrix.run(base: "http://127.0.0.1:\(port)", template: described.template,
                                                 descriptions: described.descriptions, identitiesPath: identitiesPath,
                                                 dataFolder: data)
    }
}

/// Signalled when a child prints that it listens; waited on with the child's exit as the other way out.
private final class ReadyLine: Sendable {
    /// nil until decided: true when it listens, false when it exited first.
    private let state = Mutex<(outcome: Bool?, waiter: CheckedContinuation<Bool, Never>?)>((nil, nil))

    func signal() { decide(true) }

    private func decide(_ outcome: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    /// True once it listens; false when `process` exits first.
    func wait(unless process: FunctionProcess) async -> Bool {
        let exited = Task {
            _ = await process.exitCode()
            decide(false)
        }
        defer { exited.cancel() }
        return await withCheckedContinuation { continuation in
            let decided = state.withLock { state -> Bool? in
                if state.outcome == nil { state.waiter = continuation }
                return state.outcome
            }
            if let decided { continuation.resume(returning: decided) }
        }
    }
}
