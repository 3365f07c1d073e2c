import CGlibcCompat
import Glibc
import Testing

/// The bootstrap's own `hypotf` (CGlibcCompat) answers as glibc's does, so pinning it for glibc 2.34 changes nothing.
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
}
