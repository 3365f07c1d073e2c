import Transport

/// The server's shared state: invocations waiting for a `/next` and invocations waiting for a result. Connection
/// threads block on its condition; callers await.
final class InvocationBroker: @unchecked Sendable {
    private typealias Waiter = CheckedContinuation<InvocationOutcome, any Error>

    private struct Running {
        var waiter: Waiter
        var deadline: Int64
    }

    private let lock = ConditionLock()
    /// The deadline thread sleeps on its own condition, so queueing an invocation wakes only connection threads.
    private let alarm = ConditionLock()
    /// When the deadline thread will next look (wall-clock ms), and the earliest deadline registered since it last
    /// read `running` (so one registered meanwhile is not missed); both guarded by `alarm`.
    private var alarmAt: Int64 = 0
    private var registeredSinceLook = Int64.max
    private var queue: [(request: InvocationRequest, waiter: Waiter)] = []
    private var running: [String: Running] = [:]
    private var pollWaiters: [CheckedContinuation<Void, any Error>] = []
    private var polling = 0
    private var failure: RuntimeAPIServer.Failure?

    /// Deadlines are enforced by one OS thread, so a busy Swift concurrency pool cannot delay a timeout.
    init() {
        startThread { [weak self] in
            while let broker = self, broker.expireOverdue() {}
        }
    }

    /// Sleeps until the earliest deadline (at most a second, or until woken for an earlier one), then times out
    /// what is overdue; false once stopped.
    private func expireOverdue() -> Bool {
        let earliest: Int64? = lock.withLock {
            failure == nil ? running.values.map(\.deadline).min() ?? wallClockMilliseconds() + 1000 : nil
        }
        guard let earliest else { return false }
        alarm.withLock {
            alarmAt = min(earliest, registeredSinceLook, wallClockMilliseconds() + 1000)
            registeredSinceLook = .max
            alarm.wait(untilMilliseconds: alarmAt)
        }
        let overdue: [(String, Running)] = lock.withLock {
            let now = wallClockMilliseconds()
            let expired = running.filter { $0.value.deadline <= now }
            expired.keys.forEach { running.removeValue(forKey: $0) }
            return expired.map { ($0.key, $0.value) }
        }
        overdue.forEach { $0.1.waiter.resume(returning: .timedOut) }
        return true
    }

    /// Wakes the deadline thread when `deadline` comes before its next look.
    private func wakeAlarm(before deadline: Int64) {
        alarm.withLock {
            registeredSinceLook = min(registeredSinceLook, deadline)
            if deadline < alarmAt { alarm.broadcast() }
        }
    }

    func invoke(_ request: InvocationRequest) async throws -> InvocationOutcome {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            lock.withLock {
                if let failure {
                    waiter.resume(throwing: failure)
                } else {
                    queue.append((request, waiter))
                    lock.broadcast()
                }
            }
        }
    }

    func waitUntilPolling() async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            lock.withLock {
                if let failure {
                    waiter.resume(throwing: failure)
                } else if polling > 0 {
                    waiter.resume()
                } else {
                    pollWaiters.append(waiter)
                }
            }
        }
    }

    /// Blocks the calling connection thread until an invocation is queued; nil once the server stops.
    func next() -> (InvocationRequest, deadline: Int64)? {
        let invocation: (InvocationRequest, deadline: Int64)? = lock.withLock {
            polling += 1
            pollWaiters.forEach { $0.resume() }
            pollWaiters.removeAll()
            lock.wait { !queue.isEmpty || failure != nil }
            polling -= 1
            guard failure == nil else { return nil }
            let (request, waiter) = queue.removeFirst()
            let deadline = wallClockMilliseconds() + request.timeoutMilliseconds
            running[request.requestID] = Running(waiter: waiter, deadline: deadline)
            return (request, deadline)
        }
        if let invocation { wakeAlarm(before: invocation.deadline) }
        return invocation
    }

    /// Delivers a result; false when no invocation with that id is waiting (unknown, done or timed out).
    func complete(_ requestID: String, _ outcome: InvocationOutcome) -> Bool {
        let entry = lock.withLock { running.removeValue(forKey: requestID) }
        guard let entry else { return false }
        entry.waiter.resume(returning: outcome)
        return true
    }

    func failInit(_ error: FunctionError) {
        fail(with: .initFailed(error))
    }

    func stop() {
        fail(with: .stopped)
    }

    private func fail(with failure: RuntimeAPIServer.Failure) {
        let (queued, started, pollers) = lock.withLock {
            if self.failure == nil { self.failure = failure }
            defer {
                queue.removeAll()
                running.removeAll()
                pollWaiters.removeAll()
                lock.broadcast()
            }
            return (queue.map(\.waiter), Array(running.values), pollWaiters)
        }
        alarm.withLock { alarm.broadcast() }
        queued.forEach { $0.resume(throwing: failure) }
        started.forEach { $0.waiter.resume(throwing: failure) }
        pollers.forEach { $0.resume(throwing: failure) }
    }
}
