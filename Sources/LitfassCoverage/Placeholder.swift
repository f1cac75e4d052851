public enum LitfassCoveragePlaceholder {}
