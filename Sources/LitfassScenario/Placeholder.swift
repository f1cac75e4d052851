public enum LitfassScenarioPlaceholder {}
