import Testing

@Test func placeholder_LitfassCoverageTests() { #expect(Bool(true)) }
