import Runtime

/// The functions' real executables, each started on first use under its own Runtime API server and kept warm.
/// An instance that crashes or times out is replaced on the next request; its log lines are forwarded, prefixed.
actor FunctionInstances {
    private struct Instance {
        let server: RuntimeAPIServer
        let process: FunctionProcess
    }

    private var instances: [String: Instance] = [:]
    private let executables: String
    private let baseEnvironment: [String: String]

    init(executables: String, baseEnvironment: [String: String]) {
        self.executables = executables
        self.baseEnvironment = baseEnvironment
    }

    /// Invokes `function` with `event`; nil when the instance failed (crash, init error, timeout).
    func invoke(_ function: LocalTemplate.Function, event: [UInt8], requestID: String) async -> InvocationOutcome? {
        let instance: Instance
        do {
            instance = try self.instance(function)
        } catch {
            print("[gatehouse] cannot start \(function.app): \(error)")
            return nil
        }
        let outcome = try? await instance.server.invoke(InvocationRequest(
            event: event, requestID: requestID, timeoutMilliseconds: Int64(function.timeoutSeconds) * 1000,
            invokedFunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:\(function.app)"))
        if outcome == nil || outcome == .timedOut { replace(function.logicalID, instance) }
        return outcome == .timedOut ? nil : outcome
    }

    private func instance(_ function: LocalTemplate.Function) throws -> Instance {
        if let running = instances[function.logicalID], !running.process.hasExited { return running }
        let server = try RuntimeAPIServer()
        var environment = baseEnvironment.merging(function.environment) { _, own in own }
        environment.merge(baseEnvironment.filter { $0.key == "GATEHOUSE_STORAGE" }) { _, local in local }
        environment["AWS_LAMBDA_RUNTIME_API"] = server.endpoint
        let app = function.app
        let process = try FunctionProcess(executable: executables + "/" + app, environment: environment,
                                          onOutputLine: { print("[\(app)] \($0)") })
        let instance = Instance(server: server, process: process)
        instances[function.logicalID] = instance
        Task {
            _ = await process.exitCode()
            server.shutdown()  // waiting invocations fail at once instead of at their deadline
        }
        return instance
    }

    private func replace(_ logicalID: String, _ failed: Instance) {
        failed.process.kill()
        failed.server.shutdown()
        if instances[logicalID]?.process.pid == failed.process.pid { instances[logicalID] = nil }
    }

    /// Stops every instance.
    func stopAll() {
        for instance in instances.values {
            instance.process.kill()
            instance.server.shutdown()
        }
        instances = [:]
    }
}
