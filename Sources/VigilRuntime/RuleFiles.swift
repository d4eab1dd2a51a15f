import Foundation
import VigilDetection
import VigilYAML

/// Rule files on disk: each path is a YAML file, or a folder whose `.yaml` and `.yml` files are read
/// in name order (not recursively).
package enum RuleFiles {
  /// The built-in pack (unless `builtIn` is false) plus the rules in `paths`.
  package static func load(_ paths: [String], builtIn: Bool = true) -> RuleLibrary {
    var library = builtIn ? RuleLibrary.builtIn : RuleLibrary()
    for path in paths {
      for file in files(at: path, library: &library) {
        do {
          library.add(try String(contentsOfFile: file, encoding: .utf8), file: file)
        } catch {
          library.problems.append(
            YAMLProblem(file: file, line: nil, message: "cannot read the file: \(TokenSource.reason(error))"))
        }
      }
    }
    return library
  }

  private static func files(at path: String, library: inout RuleLibrary) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      library.problems.append(YAMLProblem(file: path, line: nil, message: "no such file or folder"))
      return []
    }
    guard isDirectory.boolValue else { return [path] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { path + "/" + $0 }
  }
}

extension RuleFiles {
  /// The rules and watchlists a configuration asks for: the built-in pack, its rule files and `paths`,
  /// with its disables and overrides applied; the standard watchlists plus its entries and files.
  package static func load(
    _ settings: DetectionSettings, configFile: String, paths: [String] = [], builtIn: Bool = true
  ) -> (RuleLibrary, Watchlists) {
    var library = load(settings.ruleFiles + paths, builtIn: builtIn).applying(settings, file: configFile)
    var entries = settings.watchlists
    for (name, file) in settings.watchlistFiles.sorted(by: { $0.key < $1.key }) {
      do {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { String($0) }
        entries[name, default: []] += lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }
      } catch {
        library.problems.append(
          YAMLProblem(
            file: configFile, line: nil,
            message: "cannot read watchlist \(name) from \(file): \(TokenSource.reason(error))"))
      }
    }
    return (library, Watchlists.standard(adding: entries))
  }
}
