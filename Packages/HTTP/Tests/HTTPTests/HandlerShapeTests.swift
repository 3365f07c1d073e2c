import Policy
import Testing
@testable import HTTP

/// What a handler may return and throw: any `Encodable` (200 JSON), an `HTTPResponse`, and errors that render
/// themselves; anything else is a 500 without detail.
@Suite struct HandlerShapeTests {
    struct Greeting: Encodable, Sendable { var hello: String }

    struct OutOfStock: HTTPRenderableError {
        var status: HTTPStatus { .conflict }
        var message: String { "out of stock" }
    }

    struct Hidden: Error {}

    static let application: Application = {
        var router = Router()
        router.get("/greeting", requires: .public) { _, _ in Greeting(hello: "world") }
        router.get("/mine", requires: .authenticated) { _, context in ["subject": context.caller.subject] }
        router.get("/conflict", requires: .public) { _, _ -> HTTPResponse in throw OutOfStock() }
        router.get("/hidden", requires: .public) { _, _ -> HTTPResponse in throw Hidden() }
        router.get("/tenant/{id}", requires: .authenticated) { request, context -> HTTPResponse in
            let id = request.pathParameters["id"] ?? ""
            try context.require(claim: "tenant", equals: id, otherwise: "not a member of \(id)")
            return .message(.ok, "welcome")
        }
        return Application(router: router)
    }()

    static func call(_ path: String, caller: Caller? = nil) async -> (Int, String) {
        let response = await application.respond(to: HTTPRequest(method: "GET", path: path, caller: caller))
        return (response.status.rawValue, String(decoding: response.body, as: UTF8.self))
    }

    @Test func shapes() async {
        let ada = Caller(subject: "ada", scopes: ScopeSet([]), claims: ["tenant": "acme"], source: .rest)
        #expect(await Self.call("/greeting") == (200, #"{"hello":"world"}"#))
        #expect(await Self.call("/mine", caller: ada) == (200, #"{"subject":"ada"}"#))
        #expect(await Self.call("/conflict") == (409, #"{"message":"out of stock"}"#))
        #expect(await Self.call("/hidden") == (500, #"{"message":"Internal Server Error"}"#))
        #expect(await Self.call("/tenant/acme", caller: ada) == (200, #"{"message":"welcome"}"#))
        #expect(await Self.call("/tenant/globex", caller: ada) == (403, #"{"message":"not a member of globex"}"#))
    }
}
