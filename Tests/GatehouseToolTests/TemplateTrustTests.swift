import Foundation
import Testing

/// The SAM template trusts no token issuer by default: a deploy must name its own issuer and audience, and a wrong
/// value is refused by CloudFormation with a message saying what to set.
@Suite struct TemplateTrustTests {
    struct Parameter: Decodable {
        var Default: String?
        var AllowedPattern: String?
        var ConstraintDescription: String?
    }

    struct Parameters: Decodable { var JwtIssuer: Parameter; var JwtAudience: Parameter }
    struct Template: Decodable { var Parameters: Parameters }

    static let parameters: [String: Parameter] = {
        let template = try! JSONDecoder().decode(
            Template.self, from: Data(contentsOf: PackagingTests.root.appendingPathComponent("template.json")))
        return ["JwtIssuer": template.Parameters.JwtIssuer, "JwtAudience": template.Parameters.JwtAudience]
    }()

    @Test(arguments: [
        ("JwtIssuer", ["https://tenant.us.auth0.com/", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X"],
         ["", "http://tenant.us.auth0.com/", "https://", "https://a b/"]),
        ("JwtAudience", ["https://api.example.com", "my-api"], ["", "two words"]),
    ])
    func issuerAndAudienceHaveNoDefault(name: String, accepted: [String], refused: [String]) throws {
        let parameter = try #require(Self.parameters[name])
        #expect(parameter.Default == nil)
        let pattern = try Regex(try #require(parameter.AllowedPattern))
        for value in accepted { #expect(value.wholeMatch(of: pattern) != nil, "\(value) should be accepted") }
        for value in refused { #expect(value.wholeMatch(of: pattern) == nil, "\(value) should be refused") }
        #expect(parameter.ConstraintDescription?.hasPrefix("set \(name) to") == true)
    }
}
