import JWT
import JSON
import Glibc

/// `gatehouse jwt verify`: checks a token against a JWKS file, an issuer, audiences and scopes.
enum JWTVerifyCommand {
    static func run(_ arguments: [String]) -> Int32 {
        let options: CommandLineOptions
        let keys: JWKSet
        let policy: ClaimsPolicy
        let token: String
        do {
            options = try CommandLineOptions(arguments, known: ["jwks", "issuer", "audience", "scope", "leeway"])
            guard options.positional.count == 1 else { throw CommandLineOptions.UsageError(message: "one TOKEN (or -) expected") }
            let jwksPath = try options.required("jwks")
            let leeway = try options.values["leeway"]?.last.map { text throws(CommandLineOptions.UsageError) in
                guard let seconds = Double(text), seconds >= 0 else {
                    throw CommandLineOptions.UsageError(message: "--leeway takes seconds")
                }
                return seconds
            } ?? 0
            policy = ClaimsPolicy(issuer: try options.required("issuer"), audiences: Set(options.values["audience"] ?? []),
                                  leeway: leeway, requiredScopes: options.values["scope"] ?? [])
            guard !(policy.audiences ?? []).isEmpty else { throw CommandLineOptions.UsageError(message: "--audience is required") }
            guard let jwks = readAll(jwksPath) else { throw CommandLineOptions.UsageError(message: "cannot read \(jwksPath)") }
            if options.positional[0] == "-" {
                guard let input = readAll("-") else { throw CommandLineOptions.UsageError(message: "cannot read standard input") }
                token = String(decoding: input, as: UTF8.self).trimmingASCIIWhitespace()
            } else {
                token = options.positional[0]
            }
            do {
                keys = try JWKSet(jsonBytes: jwks)
            } catch {
                throw CommandLineOptions.UsageError(message: "\(jwksPath): \(error.reason)")
            }
        } catch let error as CommandLineOptions.UsageError {
            writeLine("gatehouse jwt verify: \(error.message)\n\(usage(of: "jwt", "verify"))", to: .error)
            return 2
        } catch {
            writeLine("gatehouse jwt verify: \(error)", to: .error)
            return 2
        }
        do {
            let verified = try JWTVerifier(keys: keys, policy: policy).verify(token)
            writeLine(JSONValue.object(verified.claims.members).jsonText, to: .standard)
            return 0
        } catch {
            writeLine("invalid: \(error.reason)", to: .error)
            return 1
        }
    }
}

extension String {
    /// Drops leading and trailing spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
