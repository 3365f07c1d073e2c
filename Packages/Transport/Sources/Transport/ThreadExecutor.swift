import Synchronization

/// Runs a task's jobs on the thread that waits for it. The server's connection threads block anyway, so a handler
/// runs there instead of queueing for Swift's shared pool: a busy pool (or callers blocking it) cannot stall a
/// request, and a request costs no thread hop.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let lock = ConditionLock()
    private var jobs: [UnownedJob] = []

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        lock.withLock {
            jobs.append(job)
            lock.broadcast()
        }
    }

    /// Runs `work` to completion on the calling thread and returns its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let executor = ThreadExecutor()
        let result = Mutex<T?>(nil)
        Task(executorPreference: executor) {
            let value = await work()
            executor.lock.withLock {
                result.withLock { $0 = value }
                executor.lock.broadcast()
            }
        }
        while true {
            let job: UnownedJob? = executor.lock.withLock {
                executor.lock.wait { !executor.jobs.isEmpty || result.withLock { $0 != nil } }
                return executor.jobs.isEmpty ? nil : executor.jobs.removeFirst()
            }
            guard let job else { return result.withLock { $0! } }
            job.runSynchronously(on: executor.asUnownedTaskExecutor())
        }
    }
}
