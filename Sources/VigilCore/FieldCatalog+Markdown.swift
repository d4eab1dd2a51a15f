import VigilEventsAPIModel

extension FieldCatalog {
  /// `docs/fields.md`, generated from the catalog (a test keeps the file in step).
  package static func markdown() -> String {
    var lines = [
      "# Fields", "",
      "Generated from the field catalog (`Sources/VigilCore/FieldCatalog.swift`) by `vigil fields`; do not edit by hand.",
      "Every event, whatever its stream, has these fields; a field a stream does not carry is empty.",
      "Names are used as written in queries, rules, dashboards and exports; aliases are short forms.", "",
      "The ECS and OCSF columns say where `vigil export --format ecs|ocsf` puts each field (`docs/formats.md`",
      "has the whole mapping, with the fields each format derives).", "",
      "| Field | Type | Aliases | Sign-in attempts | Item usages | Audit events | Free text | ECS | OCSF | Description |",
      "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for field in fields {
      let paths = EventStream.allCases.map { stream in
        (field.sources[stream] ?? []).map { "`\($0)`" }.joined(separator: ", ")
      }
      let aliases = field.aliases.map { "`\($0)`" }.joined(separator: ", ")
      lines.append(
        "| `\(field.name)` | \(field.type.rawValue) | \(aliases) | \(paths.joined(separator: " | ")) | "
          + "\(field.searchable ? "yes" : "") | \(field.ecs.replacingPipes) | \(field.ocsf.replacingPipes) | "
          + "\(field.description.replacingPipes) |")
    }
    lines += [
      "", "Every event also keeps `raw`: the JSON object exactly as the API sent it.",
      "Fields from schema 3 on (`geo.source` onwards) are enrichment: added at ingest from the databases, feeds and "
        + "lookup tables named in `vigil.yaml` (`docs/enrichment.md`), empty without them.",
      "Fields marked indexed in the catalog have an index in the store: "
        + fields.filter(\.indexed).map { "`\($0.name)`" }.joined(separator: ", ") + ".",
      "Free text (a bare word in a query) matches the fields marked above.", "",
      "Aggregations over these fields read rollups (exact counts per hour and per day) instead of the events:", "",
    ]
    var families: [String] = []
    for rollup in Rollup.all where !families.contains(rollup.family) {
      families.append(rollup.family)
      lines.append(
        "- `\(rollup.family)`: " + rollup.dimensions.map { "`\($0.name)`" }.joined(separator: ", ")
          + (rollup.keepsCoordinates ? ", with coordinate sums for `geo`" : ""))
    }
    lines += [
      "",
      "An aggregation takes the first family that holds every field it filters and groups on. Events that a "
        + "threat feed listed (`threat.feed:*`) have their own index, so threat panels read only those.",
    ]
    lines.append("")
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate var replacingPipes: String {
    split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
  }
}
