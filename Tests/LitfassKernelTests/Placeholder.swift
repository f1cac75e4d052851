import Testing

@Test func placeholder_LitfassKernelTests() { #expect(Bool(true)) }
