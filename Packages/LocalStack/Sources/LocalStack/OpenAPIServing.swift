import JSON
import HTTP
import Synchronization

/// `GET /openapi.json`: the document `gatehouse openapi` prints, made on first request (the apps describe
/// themselves by running) and kept.
final class OpenAPIServing: Sendable {
    private let template: LocalTemplate
    private let executables: String
    private let issuer: String
    private let server: String
    private let document = Mutex<[UInt8]?>(nil)

    init(template: LocalTemplate, executables: String, issuer: String, server: String) {
        self.template = template
        self.executables = executables
        self.issuer = issuer
        self.server = server
    }

    func response() async -> HTTPResponse {
        let body: [UInt8]
        if let made = document.withLock({ $0 }) {
            body = made
        } else {
            let descriptions = await FunctionDescriptions.load(template.functions.values.map(\.app), executables: executables)
            body = Array(OpenAPIDocument.build(template: template, descriptions: descriptions, issuer: issuer, server: server)
                .jsonText.utf8)
            document.withLock { $0 = body }
        }
        return HTTPResponse(status: .ok, headers: ["content-type": "application/json"], body: body)
    }
}
