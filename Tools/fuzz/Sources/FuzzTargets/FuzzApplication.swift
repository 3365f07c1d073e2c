@testable import HTTP
import Transport
import Policy

/// The application both request targets drive: a public route, one for any authenticated caller and one that needs
/// a scope. The scoped handler marks its answer with a header, so the targets can check it never ran for a caller
/// without the scope (in the answer itself: targets may run concurrently in the regression tests).
enum FuzzApplication {
    static let scope: Scope = "admin:fuzz"
    static let scopedMark = "x-fuzz-scoped-handler"

    static let application: Application = {
        var router = Router(maxBodyBytes: 64 * 1024)
        router.get("/items", requires: .public) { request, context in
            try .ok(["query": request.query.count, "caller": context.caller == nil ? 0 : 1])
        }
        router.post("/items", requires: .authenticated) { request, context in
            try .created(["subject": context.caller.subject, "name": try request.decode([String: String].self)["name"]])
        }
        router.get("/admin/{id}", requires: .scope(scope)) { request, _ in
            var response = try HTTPResponse.ok(["id": request.pathParameters["id"]])
            response.headers[scopedMark] = "ran"
            return response
        }
        return Application(router: router, cors: CORS(allowedOrigins: ["https://app.example"]))
    }()

    /// Runs `work` (the application's async entry) to completion from the fuzzer's synchronous callback.
    static func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        ThreadExecutor.run(work)
    }
}
