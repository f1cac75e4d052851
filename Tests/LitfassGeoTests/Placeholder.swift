import Testing

@Test func placeholder_LitfassGeoTests() { #expect(Bool(true)) }
