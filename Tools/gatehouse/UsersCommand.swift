import Auth
import JWT
import Runtime
import Storage

/// `gatehouse users add|set-permissions|remove`: the `auth` app's users where the local stack keeps them (SQLite
/// under `GATEHOUSE_DATA`), or in the backend `GATEHOUSE_STORAGE` names and the table `TABLE_NAME` names.
enum UsersCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments, known: ["password", "name", "tenant", "permissions"])
        } catch {
            return usageError(error.message)
        }
        guard options.positional.count >= 2 else { return usageError("a subcommand and an EMAIL are required") }
        let email = options.positional[1].lowercased()
        let users: UserStore
        do {
            let table = try StorageBackend.fromEnvironment().openTable(name: environmentVariable("TABLE_NAME") ?? "UsersTable",
                                                                      schema: UserStore.schema)
            users = UserStore(table: table)
        } catch {
            writeLine("gatehouse users: cannot open the users table: \(error)", to: .error)
            return 1
        }
        do {
            switch (options.positional[0], options.positional.count) {
            case ("add", 2):
                guard let password = options.values["password"]?.last else { return usageError("--password is required") }
                let permissions = permissionList(options.values["permissions"]?.last)
                let user = User(email: email, name: options.values["name"]?.last ?? email,
                                tenant: options.values["tenant"]?.last, permissions: permissions,
                                password: PasswordHash(password: password))
                return outcome(try await users.add(user), done: "added \(email)", refused: "\(email) exists already")
            case ("set-permissions", 3):
                let permissions = permissionList(options.positional[2])
                return outcome(try await users.setPermissions(permissions, email: email),
                               done: "\(email): \(permissions.joined(separator: " "))", refused: "no user \(email)")
            case ("remove", 2):
                return outcome(try await users.remove(email: email), done: "removed \(email)", refused: "no user \(email)")
            default:
                return usageError("unknown subcommand or wrong arguments")
            }
        } catch {
            writeLine("gatehouse users: \(error)", to: .error)
            return 1
        }
    }

    private static func permissionList(_ text: String?) -> [String] {
        (text ?? "").split(separator: " ").map(String.init)
    }

    private static func outcome(_ done: Bool, done message: String, refused: String) -> Int32 {
        writeLine(done ? message : "gatehouse users: \(refused)", to: done ? .standard : .error)
        return done ? 0 : 1
    }

    private static func usageError(_ message: String) -> Int32 {
        writeLine("gatehouse users: \(message)\n\(usage(of: "users"))", to: .error)
        return 2
    }
}
