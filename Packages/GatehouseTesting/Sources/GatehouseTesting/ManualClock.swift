import Synchronization

/// A clock a test moves by hand (seconds since the epoch), so timing logic is exact however loaded the machine is:
/// pass `now` where a type takes its clock.
public final class ManualClock: Sendable {
    private let seconds: Mutex<Double>

    /// A clock reading `start`.
    public init(start: Double = 1_700_000_000) {
        seconds = Mutex(start)
    }

    /// The reading, as a clock function.
    public var now: @Sendable () -> Double { { self.seconds.withLock { $0 } } }

    /// Moves the clock forward by `delta` seconds.
    public func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
}
