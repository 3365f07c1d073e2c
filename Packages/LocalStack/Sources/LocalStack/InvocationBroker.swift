import Transport

/// The server's shared state: invocations waiting for a `/next`, `/next` polls waiting for an invocation, and
/// invocations waiting for a result. A poll that finds no invocation is held (`LaterResponse`) and answered by the
/// caller of `invoke` on its own thread, so no server thread wakes to relay the event; callers await.
final class InvocationBroker: @unchecked Sendable {
    /// What a `/next` poll gets now.
    enum Poll {
        /// An invocation to answer with, and its deadline.
        case invocation(InvocationRequest, deadline: Int64)
        /// None yet: the answer is held and `invoke` sends it.
        case waiting
        /// The server stopped (or the function's init failed).
        case stopped
    }

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
    /// Held `/next` answers, oldest first.
    private var polls: [LaterResponse] = []
    private var failure: RuntimeAPIServer.Failure?
    /// The `/next` answer for an invocation and its deadline.
    private let nextResponse: @Sendable (InvocationRequest, Int64) -> WireResponse

    /// Deadlines are enforced by one OS thread, so a busy Swift concurrency pool cannot delay a timeout.
    init(nextResponse: @escaping @Sendable (InvocationRequest, Int64) -> WireResponse) {
        self.nextResponse = nextResponse
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
        try await withCheckedThrowingContinuation { (waiter: Waiter) in deliver(request, waiter) }
    }

    /// Answers the oldest held poll with `request` (on this thread), else queues it for the next poll. A poll whose
    /// connection ended meanwhile gives the invocation back, and the next one is tried.
    private func deliver(_ request: InvocationRequest, _ waiter: Waiter) {
        while true {
            let taken: (LaterResponse, deadline: Int64)? = lock.withLock {
                if let failure {
                    waiter.resume(throwing: failure)
                    return nil
                }
                guard !polls.isEmpty else {
                    queue.append((request, waiter))
                    return nil
                }
                return (polls.removeFirst(), start(request, waiter))
            }
            guard let (poll, deadline) = taken else { return }
            wakeAlarm(before: deadline)
            if poll.send(nextResponse(request, deadline)) { return }
            // Not sent: the invocation is back unless its deadline (or a stop) already answered the caller.
            guard lock.withLock({ running.removeValue(forKey: request.requestID) }) != nil else { return }
        }
    }

    func waitUntilPolling() async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            lock.withLock {
                if let failure {
                    waiter.resume(throwing: failure)
                } else if !polls.isEmpty {
                    waiter.resume()
                } else {
                    pollWaiters.append(waiter)
                }
            }
        }
    }

    /// A `/next` poll from `peer`: the queued invocation to answer with now, or its answer held for `invoke`.
    func poll(from peer: WireServer.Peer) -> Poll {
        let (poll, waiters): (Poll, [CheckedContinuation<Void, any Error>]) = lock.withLock {
            guard failure == nil else { return (.stopped, []) }
            guard queue.isEmpty else {
                let (request, waiter) = queue.removeFirst()
                return (.invocation(request, deadline: start(request, waiter)), [])
            }
            polls.append(peer.holdResponse())
            defer { pollWaiters.removeAll() }
            return (.waiting, pollWaiters)
        }
        waiters.forEach { $0.resume() }
        if case .invocation(_, let deadline) = poll { wakeAlarm(before: deadline) }
        return poll
    }

    /// Marks `request` as handed to the function, its deadline counted from now; the deadline. Call holding `lock`.
    private func start(_ request: InvocationRequest, _ waiter: Waiter) -> Int64 {
        let deadline = wallClockMilliseconds() + request.timeoutMilliseconds
        running[request.requestID] = Running(waiter: waiter, deadline: deadline)
        return deadline
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
        let (queued, started, pollers, held) = lock.withLock {
            if self.failure == nil { self.failure = failure }
            defer {
                queue.removeAll()
                running.removeAll()
                pollWaiters.removeAll()
                polls.removeAll()
            }
            return (queue.map(\.waiter), Array(running.values), pollWaiters, polls)
        }
        alarm.withLock { alarm.broadcast() }
        queued.forEach { $0.resume(throwing: failure) }
        started.forEach { $0.waiter.resume(throwing: failure) }
        pollers.forEach { $0.resume(throwing: failure) }
        held.forEach { $0.abandon() }
    }
}
