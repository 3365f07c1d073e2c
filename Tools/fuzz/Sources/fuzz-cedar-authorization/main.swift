import FuzzTargets

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.cedarAuthorization.fuzz(UnsafeRawBufferPointer(start: bytes, count: count))
}
