import Transport
import Runtime

/// The functions' real executables, each instance under its own Runtime API server, as Lambda runs sandboxes:
/// started on first use, kept warm, one invocation at a time each, more instances under concurrency up to
/// `maxInstances` per function (then requests wait for one). An instance that crashes or times out is discarded,
/// so it costs only its own request. Log lines are forwarded with the function's name.
actor FunctionInstances {
    private struct Instance {
        let server: RuntimeAPIServer
        let process: FunctionProcess
        /// Its app, and the generation of the app's executable it runs; an older one finishes and stops.
        let app: String
        let generation: Int
    }

    private var idle: [String: [Instance]] = [:]
    private var everyInstance: [Int32: Instance] = [:]
    private var running: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Instance?, Never>]] = [:]
    private let executables: String
    /// Each app's current executable when a reload replaced it (else `executables/app`), and its generation.
    private var replaced: [String: (path: String, generation: Int)] = [:]
    private var generationOfAll = 0
    private let baseEnvironment: [String: String]
    private let maxInstances: Int
    /// What the functions' metric lines counted.
    let counts = MetricCounts()
    /// The policy decisions the functions' audit lines logged.
    let decisions = PolicyDecisionLines()

    init(executables: String, baseEnvironment: [String: String], maxInstances: Int = 4) {
        self.executables = executables
        self.baseEnvironment = baseEnvironment
        self.maxInstances = maxInstances
    }

    /// Invokes `function` with `event`; nil when the instance failed (crash, init error, timeout).
    func invoke(_ function: LocalTemplate.Function, event: [UInt8], requestID: String) async -> InvocationOutcome? {
        guard let instance = await acquire(function) else { return nil }
        let outcome = try? await instance.server.invoke(InvocationRequest(
            event: event, requestID: requestID, timeoutMilliseconds: Int64(function.timeoutSeconds) * 1000,
            invokedFunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:\(function.app)"))
        let healthy = outcome != nil && outcome != .timedOut && !instance.process.hasExited
        release(instance, of: function, healthy: healthy)
        return outcome == .timedOut ? nil : outcome
    }

    private func acquire(_ function: LocalTemplate.Function) async -> Instance? {
        let id = function.logicalID
        while let instance = idle[id]?.popLast() {
            if !instance.process.hasExited && isCurrent(instance, of: function.app) { return instance }
            discard(instance, of: id)
        }
        if running[id, default: 0] < maxInstances { return start(function) }
        return await withCheckedContinuation { waiting[id, default: []].append($0) }
    }

    private func release(_ instance: Instance, of function: LocalTemplate.Function, healthy: Bool) {
        let id = function.logicalID
        let next = waiting[id]?.isEmpty == false ? waiting[id]!.removeFirst() : nil
        if healthy && isCurrent(instance, of: function.app) {
            if let next { next.resume(returning: instance) } else { idle[id, default: []].append(instance) }
        } else {
            discard(instance, of: id)
            next?.resume(returning: start(function))
        }
    }

    /// Waits (at most `seconds`) until every running instance's output has been read and handled: a function writes
    /// its metric and audit lines before it answers, so once this returns the counts hold every answered request's.
    func settleOutput(within seconds: Double) async {
        let processes = everyInstance.values.map(\.process)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for process in processes { await process.outputSettles() } }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }  // a bound, should a function flood its output
            await group.next()
            group.cancelAll()
        }
    }

    private func start(_ function: LocalTemplate.Function) -> Instance? {
        do {
            let server = try RuntimeAPIServer()
            var environment = baseEnvironment.merging(function.environment) { _, own in own }
            environment.merge(baseEnvironment.filter { $0.key == "GATEHOUSE_STORAGE" }) { _, local in local }
            environment["AWS_LAMBDA_RUNTIME_API"] = server.endpoint
            environment["AWS_LAMBDA_FUNCTION_NAME"] = function.app  // as Lambda sets it: metrics name the function
            let app = function.app
            let process = try FunctionProcess(executable: replaced[app]?.path ?? executables + "/" + app, environment: environment,
                                              onOutputLine: { [counts, decisions] line in
                                                  let records = MetricRecord.records(in: line)
                                                  if records.isEmpty { decisions.add(line) }
                                                  for record in records { counts.add(record) }
                                                  for text in records.isEmpty ? [line] : records.map(\.description) {
                                                      Logger.standardOutput("[\(app)] \(text)")
                                                  }
                                              })
            server.admit(processID: process.pid)
            Task {
                _ = await process.exitCode()
                server.shutdown()  // an invocation waiting on a dead instance fails at once, not at its deadline
            }
            running[function.logicalID, default: 0] += 1
            let instance = Instance(server: server, process: process, app: app, generation: generation(of: app))
            everyInstance[process.pid] = instance
            return instance
        } catch {
            Logger.standardOutput("[gatehouse] cannot start \(function.app): \(error)")
            return nil
        }
    }

    private func discard(_ instance: Instance, of id: String) {
        instance.process.kill()
        instance.server.shutdown()
        running[id, default: 1] -= 1
        everyInstance[instance.process.pid] = nil
    }

    /// New invocations of each app of `paths` (app → executable) start fresh instances of it; with `all`, of every
    /// app (same executables). Busy instances finish their invocation and stop; idle ones stop now.
    func replace(_ paths: [String: String], all: Bool) {
        if all { generationOfAll += 1 }
        for (app, path) in paths { replaced[app] = (path, (replaced[app]?.generation ?? 0) + 1) }
        for (id, instances) in idle {
            let stale = instances.filter { !isCurrent($0, of: $0.app) }
            idle[id] = instances.filter { isCurrent($0, of: $0.app) }
            for instance in stale { discard(instance, of: id) }
        }
    }

    private func generation(of app: String) -> Int { generationOfAll * 1_000_000 + (replaced[app]?.generation ?? 0) }

    private func isCurrent(_ instance: Instance, of app: String) -> Bool { instance.generation == generation(of: app) }

    /// Stops every instance, busy ones included.
    func stopAll() {
        for instance in everyInstance.values {
            instance.process.kill()
            instance.server.shutdown()
        }
        everyInstance = [:]
        idle = [:]
    }
}
