import JSON
import FoundationEssentials
import Testing
@testable import HTTP

/// The proxy response document is written straight to text; every byte must be what writing the same document as a
/// JSON value tree gives (compact, members sorted, the JOSE layer's escaping).
@Suite struct ProxyResponseEncodingTests {
    /// The document as a value tree, the way it was written before.
    static func reference(_ response: HTTPResponse, version2: Bool) -> [UInt8] {
        let text = String(validating: response.body, as: UTF8.self)
        var headers = response.headers.mapValues(JSONValue.string)
        var document: [String: JSONValue] = [
            "statusCode": .number(Double(response.status.rawValue)),
            "body": .string(text ?? Data(response.body).base64EncodedString()), "isBase64Encoded": .bool(text == nil),
        ]
        if !response.cookies.isEmpty {
            if version2 {
                document["cookies"] = .array(response.cookies.map(JSONValue.string))
            } else {
                document["multiValueHeaders"] = ["set-cookie": .array(response.cookies.map(JSONValue.string))]
                headers["set-cookie"] = response.cookies.last.map(JSONValue.string)
            }
        }
        document["headers"] = .object(headers)
        return Array(JSONValue.object(document).jsonText.utf8)
    }

    static let responses: [HTTPResponse] = {
        var withCookies = HTTPResponse(status: .created, headers: ["content-type": "application/json", "x-b": "2", "X-A": "1"],
                                       body: Array(#"{"id":"é\n\"quoted\" \\ /"}"#.utf8))
        withCookies.cookies = ["a=1; Path=/", "b=\"2\""]
        return [
            HTTPResponse(status: .ok),
            .message(.forbidden, "missing scope read:profile"),
            HTTPResponse(status: .ok, headers: ["content-type": "application/octet-stream"], body: [0xFF, 0x00, 0x7F]),
            HTTPResponse(status: HTTPStatus(rawValue: 502), headers: ["x-ctl": "tab\there\u{1}"], body: Array("\u{1F}\u{7F}𝄞".utf8)),
            withCookies,
        ]
    }()

    @Test(arguments: [false, true])
    func everyByteIsTheValueTreesWriting(version2: Bool) {
        let application = Application(router: Router())
        for response in Self.responses {
            let written = application.encode(response, version2: version2)
            #expect(written == Self.reference(response, version2: version2),
                    "\(String(decoding: written, as: UTF8.self))")
        }
    }
}
