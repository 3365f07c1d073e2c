import Synchronization

/// Lines a logger or metrics sink wrote, kept for a test to read (`Logger(sink: lines.sink)`).
public final class CapturedLines: Sendable {
    private let stored = Mutex<[String]>([])

    public init() {}

    /// The sink to hand a logger.
    public var sink: @Sendable (String) -> Void { { line in self.stored.withLock { $0.append(line) } } }
    /// Every line so far, in order.
    public var all: [String] { stored.withLock { $0 } }
}
