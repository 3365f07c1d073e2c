import HTTP

// The login service's bodies as OpenAPI shows them (`gatehouse openapi`). The login example is a dev user of
// dev/identities.json, whose password the SPEC publishes; the authorization matrix sends it.

extension AuthRoutes.Login: DocumentedBody {
    static let schema = JSONSchema.object([
        "email": .string(minLength: 1, maxLength: AuthRoutes.Login.maxEmailLength),
        "password": .string(maxLength: AuthRoutes.Login.maxPasswordLength),
    ], required: ["email", "password"])
    static let example = AuthRoutes.Login(email: "ada@example.com", password: "correct horse battery staple")
}

extension AuthRoutes.Refresh: DocumentedBody {
    static let schema = JSONSchema.anyOf([
        .object(["refresh_token": .string], required: ["refresh_token"]),
        .object(["token": .string], required: ["token"]),
    ])
    static let example = AuthRoutes.Refresh(refresh_token: String(repeating: "0", count: 64), token: nil)
}

extension AuthRoutes.Logout: DocumentedBody {
    static let schema = JSONSchema.object(["refresh_token": .string], required: ["refresh_token"])
    static let example = AuthRoutes.Logout(refresh_token: String(repeating: "0", count: 64))
}

extension AuthRoutes.Issued: DocumentedBody {
    static let schema = JSONSchema.object(["token": .string, "expires_in": .integer, "refresh_token": .string],
                                          required: ["token", "expires_in"])
    static let example = AuthRoutes.Issued(token: "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl", expires_in: 300,
                                           refresh_token: String(repeating: "0", count: 64))
}
