import Synchronization

/// A value read by every request and replaced whole by a reload: readers see the old value or the new one, never
/// a mix.
final class Swappable<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    /// The value now.
    var current: Value { value.withLock { $0 } }

    /// Replaces the value with `transform` of it.
    func swap(_ transform: (Value) -> Value) { value.withLock { $0 = transform($0) } }
}
