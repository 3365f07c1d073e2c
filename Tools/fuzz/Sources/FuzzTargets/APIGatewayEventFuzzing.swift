import JSON
import FoundationEssentials
import HTTP
import Policy

/// An API Gateway event, as Lambda hands it to a function: it is answered with a proxy response document or refused
/// as not an API Gateway event. The scope can only come from the event: a caller it does not name never reaches the
/// scoped handler.
enum APIGatewayEventFuzzing {
    static func run(_ input: [UInt8]) throws(InvariantViolation) {
        let application = FuzzApplication.application
        let answer = FuzzApplication.run { () async -> [UInt8]? in try? await application.handle(event: input) }
        guard let answer else { return }
        let document = try? JSONDecoder().decode([String: JSONValue].self, from: Data(answer))
        try expect(document?["statusCode"] != nil && document?["body"] != nil, "the response is not a proxy response")
        if document?["headers"]?.objectValue?[FuzzApplication.scopedMark] != nil {
            // Escapes (`\u0061`) can spell the scope without its bytes; only plain inputs are judged.
            try expect(input.contains(Array(FuzzApplication.scope.name.utf8)) || input.contains(Array(#"\u"#.utf8)),
                       "the scoped handler ran for an event that never names its scope")
        }
    }
}
