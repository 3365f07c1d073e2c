import Testing
@testable import LocalStack

/// Which layer a matrix cell names: the gateway's own bodies, an authorizer's refusals, a handler's answers.
@Suite struct MatrixLayerTests {
    static let jwt = LocalTemplate.Authorizer.jwt(issuer: "https://idp", audiences: ["api"])

    @Test func aHandlersOwnNotFoundIsTheHandlers() {
        // The matrix calls only routes the template declares: a 404 there is the handler's, whatever its body says.
        #expect(AuthorizationMatrix.layer(status: 404, headers: [], body: Array(#"{"message":"Not Found"}"#.utf8), on: Self.jwt)
                == "handler")
        #expect(AuthorizationMatrix.layer(status: 401, headers: [], body: Array(#"{"message":"Unauthorized"}"#.utf8), on: Self.jwt)
                == "gateway")
        let token = LocalTemplate.Authorizer.token(function: "Auth", header: "Authorization", ttl: 0)
        #expect(AuthorizationMatrix.layer(status: 403, headers: [], body: Array(#"{"message":"Forbidden"}"#.utf8), on: token)
                == "authorizer")
        #expect(AuthorizationMatrix.layer(status: 403, headers: [], body: Array(#"{"message":"not allowed: View"}"#.utf8),
                                          on: Self.jwt) == "policy")
        // Behind the JWT authorizer, a 401 with a bare `Bearer` challenge is the handler's (no caller), one naming
        // an error the gateway's.
        let unauthorized = Array(#"{"message":"Unauthorized"}"#.utf8)
        #expect(AuthorizationMatrix.layer(status: 401, headers: [("WWW-Authenticate", "Bearer")], body: unauthorized, on: Self.jwt)
                == "handler")
        #expect(AuthorizationMatrix.layer(status: 401, headers: [("www-authenticate", #"Bearer scope="" error="invalid_token""#)],
                                          body: unauthorized, on: Self.jwt) == "gateway")
    }
}
