import JSON
import TransportClient
import Transport
import FoundationEssentials
import HTTP
import Runtime

/// `gatehouse token --client ID --secret S [--audience A] [--port N]`: a dev access token from the local identity
/// provider (client credentials), printed alone on stdout. `gatehouse token --user EMAIL --password P [--port N]`: a
/// dev user's token for the API audience (the password grant, through the public console client), its scope the
/// user's permissions in `dev/identities.json` (or `GATEHOUSE_IDENTITIES`) — the token JWT routes take.
enum TokenCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        var body: [String: JSONValue]
        do throws(CommandLineOptions.UsageError) {
            options = try CommandLineOptions(arguments, known: ["client", "secret", "audience", "port", "user", "password"])
            if let user = options.values["user"]?.last {
                guard options.values["client"] == nil, options.values["secret"] == nil else {
                    throw CommandLineOptions.UsageError(message: "--user and --client exclude each other")
                }
                body = ["grant_type": "password", "username": .string(user), "password": .string(try options.required("password")),
                        "client_id": "gatehouse-console", "scope": .string(permissions(of: user).joined(separator: " "))]
            } else {
                body = ["grant_type": "client_credentials", "client_id": .string(try options.required("client")),
                        "client_secret": .string(try options.required("secret"))]
            }
        } catch {
            writeLine("gatehouse token: \(error.message)\n\(usage(of: "token"))", to: .error)
            return 2
        }
        let port = options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000"
        if let audience = options.values["audience"]?.last { body["audience"] = .string(audience) }
        do {
            let response = try await HTTPClient().send("POST", "http://127.0.0.1:\(port)/idp/oauth/token",
                                                       headers: [("Content-Type", "application/json")],
                                                       body: Array(JSONValue.object(body).jsonText.utf8))
            struct Answer: Decodable { var access_token: String }
            guard response.status == 200, let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)) else {
                struct Refusal: Decodable { var error_description: String }
                let reason = (try? JSONDecoder().decode(Refusal.self, from: Data(response.body)))?.error_description
                    ?? String(decoding: response.body.prefix(200), as: UTF8.self)
                writeLine("gatehouse token: the identity provider answered \(response.status): \(reason)", to: .error)
                return 1
            }
            writeLine(answer.access_token, to: .standard)
            return 0
        } catch {
            writeLine("gatehouse token: is `gatehouse serve` running on port \(port)? \(error)", to: .error)
            return 1
        }
    }

    /// The permissions `email` holds in the dev identities (none when the file cannot be read): the scope asked for.
    private static func permissions(of email: String) -> [String] {
        struct Identities: Decodable {
            struct User: Decodable { var email: String; var permissions: [String] }
            var users: [User]
        }
        let path = environmentVariable("GATEHOUSE_IDENTITIES") ?? "dev/identities.json"
        guard let bytes = readAll(path), let identities = try? JSONDecoder().decode(Identities.self, from: Data(bytes)) else {
            return []
        }
        return identities.users.first { $0.email == email.lowercased() }?.permissions ?? []
    }
}
