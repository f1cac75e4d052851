public enum LitfassGeoPlaceholder {}
