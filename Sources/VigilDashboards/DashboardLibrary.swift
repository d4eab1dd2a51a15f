import Foundation
import VigilYAML

/// The dashboards a server shows: the built-in set, then the user's folder (a file whose id matches a
/// built-in replaces it). Order: built-ins in their menu order, then the user's by title.
package struct DashboardLibrary: Sendable {
  package var dashboards: [Dashboard]

  package init(dashboards: [Dashboard]) { self.dashboards = dashboards }

  /// The menu order of the built-in set.
  static let builtinFiles: [(name: String, bytes: [UInt8])] = [
    ("overview", PackageResources.overview_yaml), ("signins", PackageResources.signins_yaml),
    ("failed-signins", PackageResources.failed_signins_yaml), ("map", PackageResources.map_yaml),
    ("item-usage", PackageResources.item_usage_yaml), ("audit", PackageResources.audit_yaml),
    ("threat-intel", PackageResources.threat_intel_yaml),
  ]

  /// The dashboards shipped with Vigil. A problem in one is a bug, caught by the tests; it is reported
  /// rather than trapping.
  package static func builtin() throws(DashboardError) -> DashboardLibrary {
    var dashboards: [Dashboard] = []
    for file in builtinFiles {
      dashboards.append(
        try DashboardReader.read(String(decoding: file.bytes, as: UTF8.self), source: "built-in \(file.name)").get())
    }
    return DashboardLibrary(dashboards: dashboards)
  }

  /// The built-in set plus every `*.yaml`/`*.yml` file in `folder`.
  package static func load(folder: String?) throws(DashboardError) -> DashboardLibrary {
    var library = try builtin()
    guard let folder else { return library }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw DashboardError([
        .init(file: folder, line: nil, message: "cannot read the dashboards folder: \(error.localizedDescription)")
      ])
    }
    var problems: [DashboardError] = []
    var own: [Dashboard] = []
    for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
      let path = folder + "/" + name
      guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20 else {
        problems.append(
          DashboardError([.init(file: path, line: nil, message: "cannot read the file (or it is over 1 MiB)")]))
        continue
      }
      switch DashboardReader.read(String(decoding: data, as: UTF8.self), source: path) {
      case .success(let dashboard): own.append(dashboard)
      case .failure(let error): problems.append(error)
      }
    }
    guard problems.isEmpty else { throw DashboardError(problems.flatMap(\.problems)) }
    for dashboard in own.sorted(by: { $0.title < $1.title }) {
      if let index = library.dashboards.firstIndex(where: { $0.id == dashboard.id }) {
        library.dashboards[index] = dashboard
      } else {
        library.dashboards.append(dashboard)
      }
    }
    return library
  }

  package func dashboard(_ id: String) -> Dashboard? { dashboards.first { $0.id == id } }
}
