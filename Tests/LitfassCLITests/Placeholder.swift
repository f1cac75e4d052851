import Testing

@Test func placeholder_LitfassCLITests() { #expect(Bool(true)) }
