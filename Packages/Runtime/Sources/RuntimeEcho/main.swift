import Runtime

// A minimal function for the runtime's tests and its cold-start benchmark. Its event says what to do:
// {"echo": X} answers X, {"fail": "text"} throws, {"sleep": ms} waits then answers. With ECHO_INIT_FAIL set,
// init fails.
struct Command: Decodable, Sendable {
    var echo: String?
    var fail: String?
    var sleep: Int?
}

struct Answer: Encodable, Sendable {
    var echo: String?
    var requestID: String
    var functionARN: String
    var remainingMilliseconds: Int64
    var traceEnvironment: String?
}

await LambdaRuntime.run {
    if let message = environmentVariable("ECHO_INIT_FAIL") {
        throw LambdaError(type: "InitFailure", message: message)
    }
    return LambdaRuntime { (command: Command, context: LambdaContext) in
        if let fail = command.fail { throw LambdaError(type: "EchoFailure", message: fail) }
        if let sleep = command.sleep { try await Task.sleep(for: .milliseconds(sleep)) }
        context.logger.info("echo", ["length": String(command.echo?.count ?? 0)])
        return Answer(echo: command.echo, requestID: context.requestID, functionARN: context.invokedFunctionARN,
                      remainingMilliseconds: context.remainingMilliseconds,
                      traceEnvironment: environmentVariable("_X_AMZN_TRACE_ID"))
    }
}
