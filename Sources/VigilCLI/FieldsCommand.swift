import ArgumentParser
import VigilCore
import VigilRuntime

/// `vigil fields`: the field catalog, as the Markdown of `docs/fields.md`.
struct FieldsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fields", abstract: "List every field Vigil stores (Markdown, as in docs/fields.md).")

  func run() throws {
    print(FieldCatalog.markdown(), terminator: "")
  }
}
