import Auth
import Glibc
import JWT
import Sessions
import Storage
import Transport

/// `auth.login`: one login through the service on SQLite (throttle check, user read, PBKDF2-HMAC-SHA256 at 600,000
/// iterations, count reset, access and refresh token issued), median of 7; `auth.login.pbkdf2`: the hash alone, the
/// floor OWASP's iteration count sets. `auth.refresh`: refresh-token rotations per second, each spending the last
/// token (read, revocation check, one three-write transaction) and signing a new access token.
let authBenchmarks = Benchmark(name: "auth") { _ in
    var template = Array("/tmp/gatehouse-bench-XXXXXX".utf8CString)
    let folder = String(cString: mkdtemp(&template)!)
    let users = UserStore(table: try SQLiteTable(path: folder + "/auth.sqlite", name: "users", schema: UserStore.schema))
    let sessions = try SQLiteTable(path: folder + "/auth.sqlite", name: "sessions", schema: .sessions)
    let password = "correct horse battery staple"
    let hash = PasswordHash(password: password)
    try await users.add(User(email: "ada@example.com", name: "Ada", tenant: nil, permissions: ["read:profile"], password: hash))
    let service = AuthService(users: users, issuer: try TokenIssuer(secretKey: String(repeating: "k", count: 32), audience: "bench"),
                              refreshTokens: RefreshTokens(table: sessions), attempts: LoginAttempts(table: sessions),
                              now: currentTime)
    func milliseconds(_ work: () async throws -> Void) async rethrows -> Double {
        let start = monotonicNanoseconds()
        try await work()
        return Double(monotonicNanoseconds() - start) / 1e6
    }
    var logins: [Double] = [], hashes: [Double] = []
    var refreshToken = ""
    for _ in 0..<7 {
        logins.append(try await milliseconds {
            refreshToken = try await service.login(email: "ada@example.com", password: password, source: "127.0.0.1").refreshToken!
        })
        hashes.append(await milliseconds { _ = hash.matches(password) })
    }
    let rotations = 2000
    let elapsed = try await milliseconds {
        for _ in 0..<rotations { refreshToken = try await service.refresh(refreshToken: refreshToken).refreshToken! }
    }
    return [
        BenchLine(name: "auth.login", value: formatted(median(logins), digits: 1), unit: "ms"),
        BenchLine(name: "auth.login.pbkdf2", value: formatted(median(hashes), digits: 1), unit: "ms"),
        BenchLine(name: "auth.refresh", value: formatted(Double(rotations) / (elapsed / 1000)), unit: "ops/s"),
    ]
}
