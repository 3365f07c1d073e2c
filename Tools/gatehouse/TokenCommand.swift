import JSON
import TransportClient
import Transport
import FoundationEssentials
import HTTP
import Runtime

/// `gatehouse token --client ID --secret S [--audience A] [--port N]`: a dev access token from the local identity
/// provider (client credentials), printed alone on stdout.
enum TokenCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        let client: String, secret: String
        do {
            options = try CommandLineOptions(arguments, known: ["client", "secret", "audience", "port"])
            client = try options.required("client")
            secret = try options.required("secret")
        } catch {
            writeLine("gatehouse token: \(error.message)\n\(usage(of: "token"))", to: .error)
            return 2
        }
        let port = options.values["port"]?.last ?? environmentVariable("PORT") ?? "3000"
        var body: [String: JSONValue] = ["grant_type": "client_credentials", "client_id": .string(client),
                                         "client_secret": .string(secret)]
        if let audience = options.values["audience"]?.last { body["audience"] = .string(audience) }
        do {
            let response = try await HTTPClient().send("POST", "http://127.0.0.1:\(port)/idp/oauth/token",
                                                       headers: [("Content-Type", "application/json")],
                                                       body: Array(JSONValue.object(body).jsonText.utf8))
            struct Answer: Decodable { var access_token: String }
            guard response.status == 200, let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)) else {
                let text = String(decoding: response.body.prefix(200), as: UTF8.self)
                writeLine("gatehouse token: the identity provider answered \(response.status): \(text)", to: .error)
                return 1
            }
            writeLine(answer.access_token, to: .standard)
            return 0
        } catch {
            writeLine("gatehouse token: is `gatehouse serve` running on port \(port)? \(error)", to: .error)
            return 1
        }
    }
}
