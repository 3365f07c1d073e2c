import FoundationEssentials
import HTTP
import JSON
import Testing
@testable import LocalStack

/// What the OpenAPI document says of a route whose handler documents no response: a `DELETE` answers `204` with
/// no content, anything else `200` with JSON.
@Suite struct OpenAPIDefaultsTests {
    @Test func anUndocumentedDeleteIs204() throws {
        let text = """
            {"Resources": {
              "Api": {"Type": "AWS::Serverless::HttpApi", "Properties": {}},
              "NotesFunction": {"Type": "AWS::Serverless::Function", "Properties": {
                "FunctionName": {"Fn::Sub": "${AWS::StackName}-notes"},
                "Events": {
                  "Remove": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Api"}, "Method": "DELETE", "Path": "/notes/{id}"}},
                  "Read": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Api"}, "Method": "GET", "Path": "/notes/{id}"}}}}}}}
            """
        let path = "/tmp/gatehouse-openapi-\(UInt64.random(in: 0...UInt64.max)).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let template = try LocalTemplate(path: path, parameters: [:])
        let routes = FunctionDescription.routes([
            .init(method: "DELETE", path: "/notes/{id}", requirement: nil),
            .init(method: "GET", path: "/notes/{id}", requirement: nil),
        ])
        let document = OpenAPIDocument.build(template: template, descriptions: ["notes": routes],
                                             issuer: "http://127.0.0.1:1/idp/", server: "http://127.0.0.1:1")
        let operations = document.objectValue?["paths"]?.objectValue?["/notes/{id}"]?.objectValue ?? [:]
        let delete = operations["delete"]?.objectValue?["responses"]?.objectValue ?? [:]
        let get = operations["get"]?.objectValue?["responses"]?.objectValue ?? [:]
        #expect(delete["204"]?.objectValue?["description"]?.stringValue == "Success, no content")
        #expect(delete["200"] == nil)
        #expect(get["200"]?.objectValue?["description"]?.stringValue == "Success")
    }
}
