import JSON
import FoundationEssentials
import Glibc
import Transport

/// A Lambda function: a handler served by the Runtime API loop.
///
/// ```swift
/// await LambdaRuntime.run {
///     let greeting = try requiredEnvironment("GREETING")   // a failure here goes to /init/error
///     return LambdaRuntime { (name: String, context) in "\(greeting), \(name)" }
/// }
/// ```
public struct LambdaRuntime: Sendable {
    /// The raw handler shape: event bytes in, response bytes out.
    public typealias ByteHandler = @Sendable ([UInt8], LambdaContext) async throws -> [UInt8]

    let handler: ByteHandler

    /// Serves a handler that works on raw bytes.
    public init(bytes handler: @escaping ByteHandler) {
        self.handler = handler
    }

    /// Serves a handler that decodes its event from JSON and encodes its output as compact JSON (`CompactJSONEncoder`).
    /// An event that does not decode is reported on `/error` as `InvalidEvent`; the loop goes on.
    public init<Event: Decodable & Sendable, Output: Encodable & Sendable>(
        _ handler: @escaping @Sendable (Event, LambdaContext) async throws -> Output
    ) {
        self.handler = { bytes, context in
            let event: Event
            do {
                event = try JSONDecoder().decode(Event.self, from: Data(bytes))
            } catch {
                throw LambdaError(type: "InvalidEvent", message: "cannot decode the event as \(Event.self): \(summary(of: error))")
            }
            return try CompactJSONEncoder().encode(try await handler(event, context))
        }
    }

    /// Serves invocations until the Runtime API fails, then exits the process.
    public func run() async -> Never {
        await LambdaRuntime.run { self }
    }

    /// Runs `setup` once as the init phase, then serves the runtime it returns. A setup error is posted to
    /// `/init/error` and the process exits 1, as Lambda expects.
    public static func run(_ setup: () async throws -> LambdaRuntime) async -> Never {
        exit(await serve(endpoint: environmentVariable("AWS_LAMBDA_RUNTIME_API"), logger: Logger(), setup: setup))
    }

    /// The loop; returns the process exit status.
    static func serve(endpoint: String?, logger: Logger, setup: () async throws -> LambdaRuntime) async -> Int32 {
        guard let endpoint, !endpoint.isEmpty else {
            logger.error("AWS_LAMBDA_RUNTIME_API is not set: run this function on Lambda, or locally "
                + "with `gatehouse serve` or `gatehouse invoke`")
            return 1
        }
        let client: RuntimeAPIClient
        let runtime: LambdaRuntime
        do {
            client = try RuntimeAPIClient(endpoint: endpoint)
        } catch {
            logger.error("\(error)")
            return 1
        }
        do {
            runtime = try await setup()
        } catch {
            let report = ErrorReport(error)
            logger.error("init failed: \(report.errorMessage)", ["errorType": report.errorType])
            try? client.reportInitError(report)
            return 1
        }
        let function = FunctionEnvironment.current()
        do {
            var invocation = try client.next()
            while true {
                let (requestID, outcome) = try await runtime.handle(invocation, function: function, logger: logger)
                let completed = try client.complete(requestID: requestID, outcome)
                if let refused = completed.refused { logger.error("\(refused)") }
                invocation = completed.next
            }
        } catch {
            logger.error("runtime stops: \(error)")
            return 1
        }
    }

    /// Runs the handler on one invocation: its request id and what to post.
    private func handle(_ invocation: RuntimeAPIClient.Invocation, function: FunctionEnvironment, logger: Logger) async throws
        -> (String, RuntimeAPIClient.Outcome)
    {
        guard let context = LambdaContext(headers: invocation.headers, function: function, logger: logger) else {
            throw RuntimeAPIClient.Failure(description: "Runtime API /next gave no usable request id")
        }
        // As AWS's runtime clients do, for tracing code that reads it; through the one lock every read takes.
        ProcessEnvironment.set("_X_AMZN_TRACE_ID", to: context.traceID)
        do {
            return (context.requestID, .response(try await handler(invocation.event, context)))
        } catch {
            let report = ErrorReport(error)
            // An expected answer (an authorizer's `Unauthorized`) is no failure: one ERROR line per refused token
            // would be noise, and CPU paid on every such invocation.
            let level: Logger.Level = (error as? LambdaError)?.isAnswer == true ? .debug : .error
            context.logger.log(level, "invocation failed: \(report.errorMessage)", ["errorType": report.errorType])
            return (context.requestID, .error(report))
        }
    }
}

/// One line describing a decoding failure: what was wrong and where, without the input's content.
func summary(of error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "" : " at \(keys)"
    }
    switch error {
    case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\"\(path(context))"
    case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
    case .valueNotFound(let type, let context): return "null where \(type) was expected\(path(context))"
    case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
    @unknown default: return "undecodable"
    }
}

extension LambdaRuntime {
    /// Runs the handler on one event in this process, as the loop would, with a context of request id `requestID`
    /// and a deadline `timeoutMilliseconds` away: for tests of a function without a Runtime API server.
    public func invoke(_ event: [UInt8], requestID: String = "local-invocation",
                       timeoutMilliseconds: Int64 = 3000) async throws -> [UInt8] {
        let headers = WireHeaders([("Lambda-Runtime-Aws-Request-Id", requestID),
                                   ("Lambda-Runtime-Deadline-Ms", String(wallClockMilliseconds() + timeoutMilliseconds))])
        guard let context = LambdaContext(headers: headers, function: .current(), logger: Logger(sink: { _ in })) else {
            throw LambdaError(type: "InvalidRequestID", message: "a request id is required")
        }
        return try await handler(event, context)
    }
}
