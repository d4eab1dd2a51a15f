import ArgumentParser
import VigilRuntime

/// `vigil`: collect, keep, search and forward 1Password Events API data.
package struct VigilCommand: AsyncParsableCommand {
  package static let configuration = CommandConfiguration(
    commandName: "vigil",
    abstract: "Self-hosted collection, search and detection for the 1Password Events API.",
    subcommands: [
      DemoCommand.self, RunCommand.self, ServeCommand.self, CollectCommand.self, SearchCommand.self,
      ExportCommand.self, UserCommand.self,
      StatusCommand.self,
      BackfillCommand.self, IntelCommand.self, RulesCommand.self, DetectCommand.self,
      AlertsCommand.self, SinksCommand.self,
      ConfigCommand.self,
      RetentionCommand.self, MigrateCommand.self, FieldsCommand.self, EmulatorCommand.self, TokenCommand.self,
    ])

  package init() {}

  /// The entry point of the `vigil` executable.
  package static func start() async {
    await main()
  }
}
