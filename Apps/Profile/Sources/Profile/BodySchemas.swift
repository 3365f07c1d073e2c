import HTTP

// The profile endpoint's bodies as OpenAPI shows them (`gatehouse openapi`).

extension ProfileRoutes.Me: DocumentedBody {
    static let schema = JSONSchema.object(["username": .string, "email": .string, "groups": .array(of: .string)],
                                          required: ["username", "email", "groups"])
    static let example = ProfileRoutes.Me(username: "ada@example.com", email: "ada@example.com", groups: ["editors"])
}

extension ProfileRoutes.WhoAmI: DocumentedBody {
    static let schema = JSONSchema.object(["sub": .string, "jkt": .string], required: ["sub", "jkt"])
    static let example = ProfileRoutes.WhoAmI(sub: "ada@example.com", jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
}
