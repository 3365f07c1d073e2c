@testable import HTTP
import Policy
import Synchronization

/// The application both request targets drive: a public route, one for any authenticated caller and one that needs
/// a scope. The scoped handler records that it ran, so the targets can check it never ran for a caller without it.
enum FuzzApplication {
    static let scope: Scope = "admin:fuzz"
    static let scopedHandlerRan = Atomic<Bool>(false)

    static let application: Application = {
        var router = Router(maxBodyBytes: 64 * 1024)
        router.get("/items", requires: .public) { request, context in
            try .ok(["query": request.query.count, "caller": context.caller == nil ? 0 : 1])
        }
        router.post("/items", requires: .authenticated) { request, context in
            try .created(["subject": context.caller.subject, "name": try request.decode([String: String].self)["name"]])
        }
        router.get("/admin/{id}", requires: .scope(scope)) { request, _ in
            scopedHandlerRan.store(true, ordering: .sequentiallyConsistent)
            return try .ok(["id": request.pathParameters["id"]])
        }
        return Application(router: router, cors: CORS(allowedOrigins: ["https://app.example"]))
    }()

    /// Runs `work` (the application's async entry) to completion from the fuzzer's synchronous callback, and says
    /// whether the scoped handler ran during it.
    static func run<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> (result: T, scopedHandlerRan: Bool) {
        scopedHandlerRan.store(false, ordering: .sequentiallyConsistent)
        let result = ThreadExecutor.run(work)
        return (result, scopedHandlerRan.load(ordering: .sequentiallyConsistent))
    }
}
