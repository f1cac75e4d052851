import Testing
@testable import LitfassCoverage

@Suite struct FontTests {
    @Test func asciiTableCoversPrintableASCII() {
        // Every printable ASCII character has its own glyph; "?" only for itself.
        let question = BitmapFont.glyph("?")
        for value in UInt8(0x20)...UInt8(0x7E) where value != UInt8(ascii: "?") {
            let c = Character(UnicodeScalar(value))
            #expect(BitmapFont.glyph(c) != question, "\(c)")
        }
        #expect(BitmapFont.glyph("©").count == 7)
        #expect(BitmapFont.glyph("A") == [0x7C, 0x12, 0x11, 0x12, 0x7C])
        #expect(BitmapFont.glyph("~") == [0x08, 0x04, 0x08, 0x10, 0x08])
        #expect(BitmapFont.glyph("☃") == question)
    }
}
