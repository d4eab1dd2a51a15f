/// The built-in rule pack: YAML documents compiled into the binary, so a copied `vigil` carries them.
/// `docs/rules.md` lists them (a test keeps it in step).
package enum RulePack {
  package static let files: [(String, String)] = [
    ("signin.yaml", signIn), ("itemusage.yaml", itemUsage), ("audit.yaml", audit), ("health.yaml", health),
  ]
}
