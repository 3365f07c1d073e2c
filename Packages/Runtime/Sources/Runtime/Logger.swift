import Glibc
import Transport

/// Structured logging in Lambda's JSON log format: one object a line on stdout with `timestamp`, `level`,
/// `message` and `requestId`, then any fields. The level comes from `AWS_LAMBDA_LOG_LEVEL` or `LOG_LEVEL`.
///
/// Never pass a token, secret or password as a message or field.
public struct Logger: Sendable {
    /// Lambda's log levels, least to most severe.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case trace, debug, info, warn, error, fatal

        /// The upper-case name Lambda uses (`INFO`, `WARN`, …).
        public var name: String {
            switch self {
            case .trace: "TRACE"
            case .debug: "DEBUG"
            case .info: "INFO"
            case .warn: "WARN"
            case .error: "ERROR"
            case .fatal: "FATAL"
            }
        }

        /// Parses a level name case-insensitively (`WARNING` is accepted for `WARN`).
        public init?(name: String) {
            let upper = name.uppercased()
            guard let level = Level.allCases.first(where: { $0.name == upper }) ?? (upper == "WARNING" ? .warn : nil)
            else { return nil }
            self = level
        }

        /// The level configured by `AWS_LAMBDA_LOG_LEVEL`, else `LOG_LEVEL`, else `info`.
        public static var configured: Level {
            for variable in ["AWS_LAMBDA_LOG_LEVEL", "LOG_LEVEL"] {
                if let value = environmentVariable(variable), let level = Level(name: value) { return level }
            }
            return .info
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Lines below this level are dropped.
    public var level: Level
    /// The invocation's request id, written into every line.
    public var requestID: String?
    private let sink: @Sendable (String) -> Void

    /// A logger at `level` writing to `sink` (standard output by default).
    public init(level: Level = .configured, requestID: String? = nil,
                sink: @escaping @Sendable (String) -> Void = Logger.standardOutput) {
        self.level = level
        self.requestID = requestID
        self.sink = sink
    }

    /// Writes one line to standard output with a single `write` call, so lines never interleave.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        var line = line
        line.append("\n")
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }  // a signal is no reason to drop the rest of a line
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Logs `message` with extra string `fields` when `level` is enabled; neither is built when it is not.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: String] = [:]) {
        guard level >= self.level else { return }
        sink(line(level, message(), fields(), at: wallClockMilliseconds()))
    }

    /// Logs `message` with `fields` written in the order given: for lines whose fields are known in advance (the
    /// audit line), no dictionary is built and sorted per line.
    @_spi(Gatehouse) public func log(_ level: Level, _ message: @autoclosure () -> String,
                                     orderedFields fields: @autoclosure () -> [(String, String)]) {
        guard level >= self.level else { return }
        sink(line(level, message(), ordered: fields(), at: wallClockMilliseconds()))
    }

    func line(_ level: Level, _ message: String, _ fields: [String: String], at milliseconds: Int64) -> String {
        line(level, message, ordered: fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, at: milliseconds)
    }

    private func line(_ level: Level, _ message: String, ordered fields: [(String, String)], at milliseconds: Int64)
        -> String
    {
        var line = JSONLine()
        line.raw("{\"timestamp\":\"")
        line.timestamp(milliseconds: milliseconds)
        line.raw("\",\"level\":\"")
        line.raw(level.name)
        line.raw("\",\"message\":")
        line.string(message)
        if let requestID { line.member("requestId", requestID) }
        for (key, value) in fields where !Self.reserved.contains(key) {
            line.member(key, value)
        }
        line.raw("}")
        return line.text
    }

    private static let reserved: Set<String> = ["timestamp", "level", "message", "requestId"]

    /// Logs at `trace`.
    public func trace(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: String] = [:]) {
        log(.trace, message(), fields())
    }
    /// Logs at `debug`.
    public func debug(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: String] = [:]) {
        log(.debug, message(), fields())
    }
    /// Logs at `info`.
    public func info(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: String] = [:]) {
        log(.info, message(), fields())
    }
    /// Logs at `warn`.
    public func warn(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: String] = [:]) {
        log(.warn, message(), fields())
    }
    /// Logs at `error`.
    public func error(_ message: @autoclosure () -> String, _ fields: @autoclosure () -> [String: String] = [:]) {
        log(.error, message(), fields())
    }
}

/// Reads an environment variable.
