/// The version printed by `litfass --version` and written into every output's metadata.
enum LitfassVersion {
    static let string = "0.1.0"
}
