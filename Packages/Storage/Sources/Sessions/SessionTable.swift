public import Storage
import Transport

extension KeySchema {
    /// The key schema of a sessions table: refresh tokens, their families and login attempts share one table,
    /// keyed `pk` (string) and `sk` (string). Its `expiresAt` attribute (epoch seconds) suits DynamoDB's TTL.
    public static let sessions = KeySchema(partitionKey: "pk", sortKey: "sk")
}

/// Seconds since the epoch, the sessions' default clock.
@Sendable func systemTime() -> Double { Double(wallClockMilliseconds()) / 1000 }
