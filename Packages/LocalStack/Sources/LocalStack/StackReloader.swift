import Glibc
import Transport

/// `gatehouse serve --watch`: watches `Apps/`, `Packages/`, the template and the identities, and after each burst of
/// saves rebuilds only what changed — an app's own files rebuild that app, a framework package or the shared
/// example code rebuilds every app — then swaps the new executables in (in-flight invocations finish on the old
/// ones). A failed build keeps the last good executables and reports the compiler's first error (log and console
/// banner); a template the stack refuses keeps the old configuration. Each reload is one log line.
public final class StackReloader: Sendable {
    private let stack: LocalStackServer
    private let root: String
    private let executables: String
    private let templatePath: String
    private let identitiesPath: String
    private let staging: String
    private let log: @Sendable (String) -> Void

    /// Reloads `stack`, whose executables are built in `executables` from the package at `root` (the working
    /// directory); rebuilt ones are copied under `dataFolder/bin` before they run, so a later build never rewrites
    /// a file an instance is starting from.
    public init(stack: LocalStackServer, root: String, executables: String, templatePath: String, identitiesPath: String,
                dataFolder: String, log: @escaping @Sendable (String) -> Void) {
        self.stack = stack
        let absolute = absolutePath(root)
        self.root = absolute.hasSuffix("/.") ? String(absolute.dropLast(2)) : absolute
        self.executables = executables
        self.templatePath = templatePath
        self.identitiesPath = identitiesPath
        staging = dataFolder + "/bin"
        self.log = log
    }

    /// Watches on a thread of its own, forever.
    public func start() throws {
        let watcher = try SourceWatcher(root: root, recursive: ["Apps", "Packages"], files: [templatePath, identitiesPath])
        mkdir(staging, 0o700)
        startThread { [self] in
            while true {
                let changed = watcher.nextChanges()
                let done = ConditionLock(), finished = Flag()
                Task {
                    await self.reload(changed)
                    done.withLock { finished.value = true; done.broadcast() }
                }
                done.withLock { done.wait { finished.value } }  // changes made meanwhile make the next reload
            }
        }
    }

    /// Rebuilds and swaps what `changed` (paths relative to the root) affects; one log line says what changed, what
    /// was done, how long it took and the result.
    func reload(_ changed: Set<String>) async {
        let what = changed.count == 1 ? changed.first! : "\(changed.count) files"
        let start = monotonicNanoseconds()
        var done: [String] = [], problem: String?
        let apps = ReloadPlan.apps(affectedBy: changed, in: root)
        if !apps.isEmpty {
            switch await rebuild(apps) {
            case .success: done.append("rebuilt \(apps.joined(separator: ", "))")
            case .failure(let failure): problem = "build of \(failure.app) failed: \(failure.error)"
            }
        }
        if problem == nil && (changed.contains(templatePath) || changed.contains(identitiesPath)) {
            do {
                try await stack.reloadConfiguration(functionsChanged: changed.contains(templatePath))
                done.append("swapped routes, authorizers and dev identities")
            } catch {
                problem = "\(error)"
            }
        }
        guard !done.isEmpty || problem != nil else { return }
        stack.setReloadProblem(problem)
        let result = problem.map { "failed in \(Self.elapsed(since: start)): \($0); still serving what was served before" }
            ?? "\(done.joined(separator: ", ")) in \(Self.elapsed(since: start)); new invocations run the new build"
        log("reload: \(what) changed; " + result)
    }

    private struct BuildFailure: Error {
        let app: String
        let error: String
    }

    /// Builds `apps` and swaps their new executables in, or reports the first that failed (nothing is swapped then).
    private func rebuild(_ apps: [String]) async -> Result<Void, BuildFailure> {
        var built: [String: String] = [:]
        for app in apps {
            var arguments = ["swift", "build", "--product", app]
            if executables.hasSuffix("/release") { arguments += ["-c", "release"] }
            // No deadline: a build takes what it takes, and the stack keeps serving the last good build meanwhile.
            guard let result = try? await FunctionProcess.run("/usr/bin/env", arguments: arguments, deadline: nil)
            else { return .failure(BuildFailure(app: app, error: "swift build could not be started")) }
            guard result.exitCode == 0 else {
                let error = ReloadPlan.firstError(in: result.lines, root: root) ?? "swift build exited \(result.exitCode)"
                return .failure(BuildFailure(app: app, error: error))
            }
            let copy = staging + "/\(app)-\(wallClockMilliseconds())"
            guard Self.copy(executables + "/" + app, to: copy) else {
                return .failure(BuildFailure(app: app, error: "cannot copy the executable to \(staging)"))
            }
            built[app] = copy
        }
        await stack.replaceExecutables(built)
        return .success(())
    }

    /// Copies an executable (mode 0755) through a temporary name, so it appears whole or not at all.
    private static func copy(_ source: String, to destination: String) -> Bool {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return false }
        defer { close(input) }
        let temporary = destination + ".partial"
        let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard output >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var ok = true
        while ok {
            let count = read(input, &buffer, buffer.count)
            if count == 0 { break }
            ok = count > 0 && write(output, buffer, count) == count
        }
        close(output)
        return ok && rename(temporary, destination) == 0
    }

    private static func elapsed(since start: UInt64) -> String {
        let milliseconds = Double(monotonicNanoseconds() - start) / 1e6
        return milliseconds < 1000 ? "\(Int(milliseconds)) ms" : "\((milliseconds / 100).rounded() / 10) s"
    }
}

/// A flag shared with a task.
private final class Flag: @unchecked Sendable {
    var value = false
}
