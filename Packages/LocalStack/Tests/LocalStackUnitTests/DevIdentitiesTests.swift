import FoundationEssentials
import GatehouseTesting
import Testing
@testable import LocalStack

/// The project's dev/identities.json is its user's to edit (`gatehouse new` grants scopes in it, a user adds their
/// own dev users); the framework's tests use their own copy (`Repository.identities`). This holds the user's file
/// to what the stack needs of it, whatever it holds.
@Suite struct DevIdentitiesTests {
    @Test func theProjectsDevIdentitiesLoadAsTheStackLoadsThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("identities-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let provider = try IdentityProvider(issuer: "http://127.0.0.1:9/idp/", identitiesPath: Repository.path("dev/identities.json"),
                                            dataFolder: folder)
        let identities = provider.identities
        #expect(!identities.audience.isEmpty)
        let emails = identities.users.map { $0.email.lowercased() }, clients = identities.clients.map(\.id)
        #expect(Set(emails).count == emails.count, "a dev user is listed twice")
        #expect(Set(clients).count == clients.count, "a dev client is listed twice")
        for user in identities.users { #expect(user.email.contains("@") && !user.password.isEmpty, "\(user.email)") }
        for client in identities.clients {
            #expect(client.public == true || !(client.secret ?? "").isEmpty, "\(client.id) needs a secret or \"public\": true")
        }
    }
}
