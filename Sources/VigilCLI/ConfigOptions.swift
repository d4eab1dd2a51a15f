import ArgumentParser
import Foundation
import VigilConfig
import VigilCore
import VigilRuntime

/// `--config FILE`, shared by every command that reads `vigil.yaml`.
struct ConfigOptions: ParsableArguments {
  @Option(name: .long, help: "Configuration file (default: $VIGIL_CONFIG, else ./vigil.yaml).")
  var config: String?

  init() {}

  init(config: String?) { self.config = config }

  var path: String {
    config ?? ProcessInfo.processInfo.environment["VIGIL_CONFIG"] ?? "vigil.yaml"
  }

  /// Reads and validates the file; every problem is printed with its line.
  func load() throws -> VigilConfiguration {
    let path = self.path
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      let hint =
        config == nil
        ? "; create vigil.yaml (see the README's Configuration section) or pass --config FILE" : ""
      throw UserError("cannot read the configuration \(path): \(TokenSource.reason(error))\(hint)")
    }
    do {
      return try ConfigLoader(file: path, environment: ProcessInfo.processInfo.environment).load(text)
    } catch {
      throw UserError(error.description)
    }
  }
}
