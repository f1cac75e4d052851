import Foundation
import Testing
@testable import LitfassRadio

/// ITU-R P.2109-1 against the SG3 workbook values in `itu-p2109-sg3/p2109_bel_reference.csv`
/// (568 rows, tolerance 0.01 dB as upstream).
@Suite struct P2109Tests {
    @Test func allRowsWithinTolerance() throws {
        let rows = try referenceRows("itu-p2109-sg3/p2109_bel_reference.csv")
        #expect(rows.count == 568)
        for row in rows {
            let buildingClass = P2109.BuildingClass(rawValue: Int(row.double("building_class")))!
            let value = try P2109.checkedLossDB(frequencyHz: row.double("f_GHz") * 1e9,
                                                probabilityPercent: row.double("p_percent"),
                                                elevationDeg: row.double("theta_deg"), buildingClass: buildingClass)
            #expect(abs(value - row.double("L_BEL_dB")) <= 0.01, "row \(row.line): \(value) vs \(row.double("L_BEL_dB"))")
        }
    }

    @Test func rejectsOutOfRangeInput() {
        #expect(throws: RadioModelError.outOfRange(parameter: "frequencyHz", value: 50e6, validRange: P2109.frequencyRangeHz)) {
            try P2109.checkedLossDB(frequencyHz: 50e6, probabilityPercent: 50, elevationDeg: 0, buildingClass: .traditional)
        }
        #expect(throws: RadioModelError.self) {
            try P2109.checkedLossDB(frequencyHz: 2e9, probabilityPercent: 100, elevationDeg: 0, buildingClass: .traditional,
                                    allowExtrapolation: true)
        }
        #expect((try? P2109.checkedLossDB(frequencyHz: 50e6, probabilityPercent: 50, elevationDeg: 0,
                                         buildingClass: .traditional, allowExtrapolation: true)) != nil)
    }
}
