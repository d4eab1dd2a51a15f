import VigilBase
import VigilCharts
import VigilQuery
import VigilYAML
import Yams

/// Reads dashboard YAML: every key checked, every query planned, problems with their lines.
package enum DashboardReader {
  static let keys = ["id", "title", "description", "panels"]
  static let panelKeys = ["id", "title", "description", "query", "chart", "width", "answers", "points"]

  /// The dashboard in `text`, or the problems that keep it from loading.
  package static func read(_ text: String, source: String) -> Result<Dashboard, DashboardError> {
    var reader = NodeReader(file: source)
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      return .failure(DashboardError([YAMLProblem(error, file: source)]))
    } catch {
      return .failure(DashboardError([YAMLProblem(file: source, line: nil, message: "cannot read YAML: \(error)")]))
    }
    guard let root, let top = reader.mapping(root, what: "a dashboard", allowed: keys) else {
      reader.report(root, "a dashboard is a mapping with id, title and panels")
      return .failure(DashboardError(reader.problems))
    }
    let id = top["id"].flatMap { reader.string($0, key: "id") } ?? ""
    if !isIdentifier(id) {
      reader.report(top["id"] ?? root, "id must be lower-case letters, digits and '-' (it is the page's address)")
    }
    let title = top["title"].flatMap { reader.string($0, key: "title") } ?? ""
    if title.isEmpty { reader.report(top["title"] ?? root, "title is required") }
    let description = top["description"].flatMap { reader.string($0, key: "description") } ?? ""
    var panels: [Panel] = []
    if let node = top["panels"], case .sequence(let items) = node {
      for item in items {
        if let panel = readPanel(item, reader: &reader) { panels.append(panel) }
      }
    } else {
      reader.report(top["panels"] ?? root, "panels must be a list of panels")
    }
    var seen: Set<String> = []
    for panel in panels where !seen.insert(panel.id).inserted {
      reader.report(nil, "panel id \(panel.id) is used twice in dashboard \(id)")
    }
    guard reader.problems.isEmpty else { return .failure(DashboardError(reader.problems)) }
    return .success(Dashboard(id: id, title: title, description: description, panels: panels, source: source))
  }

  static func readPanel(_ node: Node, reader: inout NodeReader) -> Panel? {
    guard let keys = reader.mapping(node, what: "a panel", allowed: panelKeys) else { return nil }
    let id = keys["id"].flatMap { reader.string($0, key: "id") } ?? ""
    if !isIdentifier(id) { reader.report(keys["id"] ?? node, "panel id must be lower-case letters, digits and '-'") }
    let title = keys["title"].flatMap { reader.string($0, key: "title") } ?? ""
    if title.isEmpty { reader.report(keys["title"] ?? node, "panel \(id): title is required") }
    guard let queryNode = keys["query"], let query = reader.string(queryNode, key: "query") else {
      reader.report(node, "panel \(id): query is required")
      return nil
    }
    do {
      _ = try Search.plan(query, now: 0)
    } catch {
      reader.report(queryNode, "panel \(id): \(error.description)")
    }
    var chart = ChartKind.table
    if let value = keys["chart"].flatMap({ reader.string($0, key: "chart") }) {
      if let kind = ChartKind(rawValue: value) {
        chart = kind
      } else {
        reader.report(
          keys["chart"],
          "panel \(id): chart \(value) is not one of \(ChartKind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }
    var width = 1
    if let value = keys["width"] { width = reader.count(value, key: "width", in: 1...3) ?? 1 }
    var answers: [String] = []
    if let value = keys["answers"] {
      if case .sequence(let items) = value {
        answers = items.compactMap { reader.string($0, key: "answers") }
      } else {
        reader.report(value, "panel \(id): answers must be a list")
      }
    }
    let description = keys["description"].flatMap { reader.string($0, key: "description") } ?? ""
    var points: String?
    if let node = keys["points"], let text = reader.string(node, key: "points") {
      if chart != .map { reader.report(node, "panel \(id): points are drawn only on a map (chart: map)") }
      do {
        let plan = try Search.plan(text, now: 0)
        if plan.aggregation?.metrics.isEmpty ?? true {
          reader.report(
            node,
            "panel \(id): points need an aggregation, e.g. '| geo by geo.city'")
        }
      } catch {
        reader.report(node, "panel \(id): points: \(error.description)")
      }
      points = text
    }
    return Panel(
      id: id, title: title, description: description, query: query, chart: chart, width: width, answers: answers,
      points: points)
  }

  static func isIdentifier(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 64
      && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
  }
}

/// Why a dashboard did not load.
package struct DashboardError: Error, CustomStringConvertible {
  package var problems: [YAMLProblem]

  package init(_ problems: [YAMLProblem]) { self.problems = problems }

  package var description: String { problems.map(\.description).joined(separator: "\n") }
}
