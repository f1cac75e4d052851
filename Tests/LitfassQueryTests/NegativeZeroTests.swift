import Foundation
import Testing
@testable import LitfassQuery

/// No output shows "-0": a SINR of −0.3 dB reads "0 dB" in text and 0 (not -0) in JSON.
@Suite struct NegativeZeroTests {
    @Test func textAndJSONNeverShowMinusZero() throws {
        #expect(QueryFormatter.whole(-0.3) == "0")
        #expect(QueryFormatter.whole(-0.5) == "-1")       // rounds half away from zero, like %.0f of the value itself
        #expect(QueryFormatter.whole(0.4) == "0")
        let r = QueryFormatter.round(-0.04)
        #expect(r == 0 && r.sign == .plus)
        let data = try JSONSerialization.data(withJSONObject: ["sinrDB": QueryFormatter.round(-0.04)])
        #expect(String(decoding: data, as: UTF8.self) == "{\"sinrDB\":0}")
    }
}
