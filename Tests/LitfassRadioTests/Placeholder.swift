import Testing

@Test func placeholder_LitfassRadioTests() { #expect(Bool(true)) }
