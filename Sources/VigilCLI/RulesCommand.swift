import ArgumentParser
import Foundation
import VigilBase
import VigilConfig
import VigilCore
import VigilDetection
import VigilEventsAPIModel
import VigilJSON
import VigilRuntime
import VigilYAML

/// `vigil rules`: the detection rules: list, show, validate, test.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "List, show, validate and test detection rules.",
    subcommands: [RulesListCommand.self, RulesShowCommand.self, RulesValidateCommand.self, RulesTestCommand.self],
    defaultSubcommand: RulesListCommand.self)
}

/// Which rules a `vigil rules` command looks at.
struct RuleSelection: ParsableArguments {
  @Argument(help: "Rule files or folders (default: the built-in pack).") var paths: [String] = []
  @Flag(help: "With paths: add the built-in pack to them.") var withBuiltIn = false
  @Option(help: "Also apply this vigil.yaml's detection section (its rule files, disables, overrides, watchlists).")
  var config: String?

  func load() throws -> RuleLibrary { try loadWithWatchlists().0 }

  func loadWithWatchlists() throws -> (RuleLibrary, Watchlists) {
    let builtIn = paths.isEmpty || withBuiltIn
    let (library, watchlists): (RuleLibrary, Watchlists)
    if let config {
      let configuration = try ConfigOptions(config: config).load()
      (library, watchlists) = RuleFiles.load(
        configuration.detection, configFile: config, paths: paths, builtIn: builtIn)
    } else {
      (library, watchlists) = (RuleFiles.load(paths, builtIn: builtIn), Watchlists.standard())
    }
    guard library.problems.isEmpty else {
      throw UserError(library.problems.map(\.description).joined(separator: "\n"))
    }
    return (library, watchlists)
  }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, markdown
}

struct RulesListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List rules.")

  @OptionGroup var selection: RuleSelection
  @Option(help: "Output format: table, json or markdown.") var format = ListFormat.table

  func run() throws {
    let library = try selection.load()
    let rules = library.rules
    switch format {
    case .markdown:
      print(library.markdownTable(), terminator: "")
    case .json:
      var json = JSONWriter()
      json.beginArray()
      for rule in rules {
        json.beginObject()
        json.field("id", rule.id)
        json.field("title", rule.title)
        json.field("severity", rule.severity.rawValue)
        json.field("kind", rule.kind.name)
        json.key("streams")
        json.beginArray()
        for stream in rule.streams { json.string(stream.rawValue) }
        json.endArray()
        json.key("techniques")
        json.beginArray()
        for technique in rule.techniques { json.string(technique) }
        json.endArray()
        json.field("enabled", rule.enabled)
        json.endObject()
      }
      json.endArray()
      FileHandle.standardOutput.write(Data(json.bytes + [0x0A]))
    case .table:
      let rows = rules.map { rule in
        [
          rule.id, rule.severity.rawValue, rule.kind.name, rule.enabled ? "yes" : "no",
          rule.techniques.joined(separator: ","), rule.title,
        ].map { Printable.text($0) }
      }
      for line in TextTable.render(header: ["ID", "SEVERITY", "KIND", "ON", "ATT&CK", "TITLE"], rows: rows) {
        say(line)
      }
      say("\(rules.count) rules, \(rules.filter(\.enabled).count) enabled")
    }
  }
}

struct RulesShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one rule in full.")

  @Argument(help: "The rule's id.") var id: String
  @OptionGroup var selection: RuleSelection

  func run() throws {
    let library = try selection.load()
    guard let rule = library.rule(id) else {
      let hint = nearest(id, in: library.rules.map(\.id)).map { " (did you mean \($0)?)" } ?? ""
      throw UserError("no rule \(id)\(hint); `vigil rules list` shows them")
    }
    for line in RuleDescription.lines(rule) { say(Printable.text(line)) }
  }
}

struct RulesValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check rule files; every problem is printed with its line.")

  @OptionGroup var selection: RuleSelection

  func run() throws {
    let library = try selection.load()
    say("\(library.rules.count) rules are valid")
  }
}

struct RulesTestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test", abstract: "Run the rules' inline tests (each also with its items reversed).")

  @OptionGroup var selection: RuleSelection

  func run() throws {
    let (library, watchlists) = try selection.loadWithWatchlists()
    var failures: [RuleTestRunner.Failure] = []
    var tests = 0
    for rule in library.rules {
      tests += rule.tests.count
      failures += RuleTestRunner.run(rule, watchlists: watchlists)
    }
    for failure in failures { say(Printable.text("FAIL \(failure)")) }
    let untested = library.rules.filter { $0.tests.isEmpty }.map(\.id)
    if !untested.isEmpty { say("without tests: \(untested.joined(separator: ", "))") }
    say("\(tests - failures.count) of \(tests) tests passed in \(library.rules.count) rules")
    if !failures.isEmpty { throw ExitCode(1) }
  }
}
