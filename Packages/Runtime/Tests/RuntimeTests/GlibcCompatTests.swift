import CGlibcCompat
import Glibc
import Testing

/// The bootstrap's own `hypotf` and `arc4random` (CGlibcCompat) answer as glibc's do, so pinning them for glibc 2.34
/// changes nothing.
@Suite struct GlibcCompatTests {
    @Test func hypotfMatchesTheDoublePrecisionResult() {
        #expect(CGlibcCompat.hypotf(3, 4) == 5)
        #expect(CGlibcCompat.hypotf(-3, 4) == 5)
        #expect(CGlibcCompat.hypotf(.greatestFiniteMagnitude, .greatestFiniteMagnitude) == .infinity)
        let subnormal = Float.leastNormalMagnitude / 8
        #expect(CGlibcCompat.hypotf(subnormal, 0) == subnormal)
        #expect(CGlibcCompat.hypotf(.infinity, .nan) == .infinity)
        #expect(CGlibcCompat.hypotf(.nan, 1).isNaN)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let x = Float(bitPattern: generator.next() & 0x7F7F_FFFF), y = Float(bitPattern: generator.next() & 0x7F7F_FFFF)
            #expect(CGlibcCompat.hypotf(x, y) == Float((Double(x) * Double(x) + Double(y) * Double(y)).squareRoot()))
        }
    }

    /// Every bit of `arc4random` varies: over 4,096 draws each of the 32 bits is set between 1,800 and 2,300 times (a
    /// stuck or short read would leave bits at 0 or 4,096), and draws do not repeat one another.
    @Test func arc4randomGivesIndependentBits() {
        let draws = (0..<4096).map { _ in CGlibcCompat.arc4random() }
        for bit in 0..<32 {
            let set = draws.filter { $0 & (1 << bit) != 0 }.count
            #expect((1800...2300).contains(set), "bit \(bit) set \(set) times in 4096")
        }
        #expect(Set(draws).count > 4090)
    }
}
