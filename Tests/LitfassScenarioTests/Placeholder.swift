import Testing

@Test func placeholder_LitfassScenarioTests() { #expect(Bool(true)) }
