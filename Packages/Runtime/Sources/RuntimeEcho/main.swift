import Runtime

import Glibc

// A minimal function for the runtime's tests and its cold-start benchmark. Its event says what to do:
// {"echo": X} answers X, {"fail": "text"} throws, {"sleep": ms} waits then answers. With ECHO_INIT_FAIL set,
// init fails. As an API Gateway HTTP API target (the local stack's fault tests), `rawPath` ending in /crash exits the
// process mid-invocation, /hang never answers, anything else answers 200.
struct Command: Decodable, Sendable {
    var echo: String?
    var fail: String?
    var sleep: Int?
    var rawPath: String?
}

struct ProxyAnswer: Encodable, Sendable {
    var statusCode: Int
    var body: String
}

struct Answer: Encodable, Sendable {
    var echo: String?
    var requestID: String
    var functionARN: String
    var remainingMilliseconds: Int64
    var traceEnvironment: String?
}

/// Either the echo answer or an API Gateway proxy response.
enum Reply: Encodable, Sendable {
    case answer(Answer)
    case proxy(ProxyAnswer)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .answer(let answer): try answer.encode(to: encoder)
        case .proxy(let proxy): try proxy.encode(to: encoder)
        }
    }
}

await LambdaRuntime.run {
    if let message = environmentVariable("ECHO_INIT_FAIL") {
        throw LambdaError(type: "InitFailure", message: message)
    }
    return LambdaRuntime { (command: Command, context: LambdaContext) -> Reply in
        if let path = command.rawPath {
            if path.hasSuffix("/crash") { exit(3) }
            if path.hasSuffix("/hang") { try await Task.sleep(for: .seconds(60)) }
            return .proxy(ProxyAnswer(statusCode: 200, body: "echo \(context.requestID)"))
        }
        if let fail = command.fail { throw LambdaError(type: "EchoFailure", message: fail) }
        if let sleep = command.sleep { try await Task.sleep(for: .milliseconds(sleep)) }
        context.logger.info("echo", ["length": String(command.echo?.count ?? 0)])
        return .answer(Answer(echo: command.echo, requestID: context.requestID, functionARN: context.invokedFunctionARN,
                              remainingMilliseconds: context.remainingMilliseconds,
                              traceEnvironment: environmentVariable("_X_AMZN_TRACE_ID")))
    }
}
