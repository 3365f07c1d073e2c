import Transport
import Glibc
import Synchronization

/// A function executable running as a child process, as Lambda runs a `bootstrap`.
public final class FunctionProcess: Sendable {
    /// The child's process id.
    public let pid: Int32
    private let exitStatus = OnceValue()
    /// Set once the reader thread has seen the end of the child's output (at start when it is not read).
    private let outputEnded = OnceValue()
    /// Where the reading of the child's output stands.
    private let output = OutputProgress()

    /// Starts `executable` with the current environment plus `environment`. When `onOutputLine` is given,
    /// the child's stdout and stderr are read line by line and handed to it; otherwise they are inherited.
    public init(executable: String, arguments: [String] = [], environment: [String: String],
                onOutputLine: (@Sendable (String) -> Void)? = nil) throws {
        var merged: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let pair = String(cString: pointer)
            if let equals = pair.firstIndex(of: "=") {
                merged[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            entry += 1
        }
        merged.merge(environment) { _, new in new }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if onOutputLine != nil {
            let channel = try outputChannel()
            pipeEnds = [channel.read, channel.write]
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        }
        // Descriptors another part of this process opened without close-on-exec (Foundation's `Pipe`, for one) are
        // closed in the child: inherited, a pipe's write end would keep its reader from seeing the end until this
        // function exits.
        for fd in inheritableDescriptors() { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child = pid_t()
        let status = posix_spawn(&child, executable, &actions, nil, argv, envp)
        if pipeEnds[1] >= 0 { close(pipeEnds[1]) }
        guard status == 0 else {
            if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
            throw SocketError("posix_spawn(\(executable))", code: status)
        }
        pid = child
        if let onOutputLine {
            let readEnd = pipeEnds[0], ended = outputEnded, output = output
            output.begin(readEnd)
            startThread {
                forwardLines(from: readEnd, progress: output, to: onOutputLine)
                ended.set(0)
            }
        } else {
            output.end()
            outputEnded.set(0)
        }
        let pid = child, box = exitStatus
        startThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            box.set(status)
        }
    }

    /// Waits for the child to exit; its exit code, or 128 + signal when a signal ended it.
    public func exitCode() async -> Int32 {
        let status = await exitStatus.value()
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// True once the child has exited.
    public var hasExited: Bool { exitStatus.isSet }

    /// Returns once every line the child has written so far has been handed to `onOutputLine` (nothing waits in the
    /// pipe, no line is being handled): what the child wrote before it answered an invocation has been seen. Woken
    /// by the reader, not a timer; returns at once when the task is cancelled.
    public func outputSettles() async { await output.settle() }

    /// Runs `executable` to completion; its exit code and every line it wrote (stdout and stderr). With a
    /// `deadline` (seconds), a child still running then is killed and `DeadlineExceeded` thrown.
    public static func run(_ executable: String, arguments: [String] = [], environment: [String: String] = [:],
                           deadline: Int?) async throws -> (exitCode: Int32, lines: [String])
    {
        let output = OutputLines()
        let process = try FunctionProcess(executable: executable, arguments: arguments, environment: environment,
                                          onOutputLine: { output.append($0) })
        let watchdog = deadline.map { seconds in
            Watchdog(seconds: seconds) {
                guard !process.hasExited else { return false }
                process.kill()
                return true
            }
        }
        let code = await process.exitCode()
        if watchdog?.finish() == true {
            throw DeadlineExceeded(description: "\(executable) had not finished after \(deadline!) s and was killed (it hung)")
        }
        _ = await process.outputEnded.value()  // every line read, not only the process gone
        return (code, output.lines)
    }

    /// A child `run` killed at its deadline.
    public struct DeadlineExceeded: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends `signal` (9, SIGKILL, by default) to the child.
    public func kill(_ signal: Int32 = 9) {
        if !exitStatus.isSet { _ = Glibc.kill(pid, signal) }
    }
}

/// Lines written by a child, gathered from its reader thread.
private final class OutputLines: @unchecked Sendable {
    private let lock = ConditionLock()
    private var stored: [String] = []

    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}

/// A value set once (the child's raw wait status, the end of its output) and awaited by any number of callers.
private final class OnceValue: @unchecked Sendable {
    private let lock = ConditionLock()
    private var status: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    var isSet: Bool { lock.withLock { status != nil } }

    func set(_ value: Int32) {
        let waiting = lock.withLock {
            status = value
            defer { waiters.removeAll() }
            return waiters
        }
        waiting.forEach { $0.resume(returning: value) }
    }

    func value() async -> Int32 {
        await withCheckedContinuation { waiter in
            let known: Int32? = lock.withLock {
                if status == nil { waiters.append(waiter) }
                return status
            }
            if let known { waiter.resume(returning: known) }
        }
    }
}

/// This process's open descriptors above standard error that an exec would pass on (no close-on-exec flag).
private func inheritableDescriptors() -> [Int32] {
    guard let directory = opendir("/proc/self/fd") else { return [] }
    defer { closedir(directory) }
    let own = dirfd(directory)
    var found: [Int32] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let fd = Int32(name), fd > 2, fd != own, fcntl(fd, F_GETFD) & FD_CLOEXEC == 0 else { continue }
        found.append(fd)
    }
    return found
}

/// Where the reading of a child's output stands: bytes are taken from the pipe under the same lock `settled` checks
/// the pipe under, so no byte is ever neither in the pipe nor counted as being handled. Whoever waits for the output
/// to settle is woken by the reader when it has handled what it read, not by a timer.
private final class OutputProgress: Sendable {
    private struct State {
        var fd: Int32 = -1
        var handling = false
        var ended = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    /// Reads what the pipe holds (it was reported readable); the line handling that follows is in progress until
    /// `handled()`.
    func read(_ fd: Int32, into chunk: inout [UInt8]) -> Int {
        state.withLock { state in
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            state.handling = n > 0
            return n
        }
    }

    func begin(_ fd: Int32) { state.withLock { $0.fd = fd } }

    func handled() { change { $0.handling = false } }

    func end() {
        change { state in
            (state.fd, state.handling, state.ended) = (-1, false, true)
        }
    }

    /// Returns once every line written so far has been handled, or when the task is cancelled.
    func settle() async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter in
                let now = state.withLock { state in
                    guard !Self.isSettled(state), !Task.isCancelled else { return true }
                    state.waiters[id] = waiter
                    return false
                }
                if now { waiter.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Applies `update` and wakes the waiters if the output is settled now.
    private func change(_ update: (inout State) -> Void) {
        let woken = state.withLock { state in
            update(&state)
            guard !state.waiters.isEmpty, Self.isSettled(state) else { return [CheckedContinuation<Void, Never>]() }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        woken.forEach { $0.resume() }
    }

    private static func isSettled(_ state: State) -> Bool {
        guard !state.ended else { return true }
        guard !state.handling else { return false }
        var waiting: Int32 = 0
        return ioctl(state.fd, UInt(FIONREAD), &waiting) != 0 || waiting == 0
    }
}

private func forwardLines(from fd: Int32, progress: OutputProgress, to handler: @Sendable (String) -> Void) {
    defer {
        progress.end()
        close(fd)
    }
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
        var readable = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&readable, 1, -1) < 0 {
            if errno == EINTR { continue }
            break
        }
        let n = progress.read(fd, into: &chunk)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { break }
        pending += chunk[0..<n]
        while let newline = pending.firstIndex(of: 10) {
            handler(String(decoding: pending[..<newline], as: UTF8.self))
            pending.removeSubrange(...newline)
        }
        progress.handled()
    }
    if !pending.isEmpty { handler(String(decoding: pending, as: UTF8.self)) }
}
