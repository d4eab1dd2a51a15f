import VigilEventsAPIModel

/// One field of the catalog: the single definition that normalization, storage, the query language,
/// dashboards, rules, exports and `docs/fields.md` all read.
package struct Field: Sendable {
  /// Dotted name used in queries and documents, e.g. `source.ip`.
  package let name: String
  package let type: FieldType
  package let description: String
  /// Which raw API paths feed it, per stream (empty: derived by Vigil, not read from the API).
  package let sources: [EventStream: [String]]
  /// Short names that resolve to this field in queries (`ip`, `user`, …).
  package let aliases: [String]
  /// Filtered on selectively often enough to deserve an index in the store (aggregations read the
  /// rollups instead, see ``Rollup``).
  package let indexed: Bool
  /// Matched by free text in queries (a bare word searches every searchable field).
  package let searchable: Bool
  /// The store migration that introduced its column; later fields get later migrations.
  package let schemaVersion: Int
  /// Where the ECS export puts it (`docs/formats.md` has the whole mapping).
  package let ecs: String
  /// Where the OCSF export puts it.
  package let ocsf: String
  /// Reads the field from an event.
  package let value: @Sendable (CanonicalEvent) -> FieldValue?
  /// For fields that are not a function of the raw JSON (enrichment, and geo that a database may have
  /// filled): puts a stored value back on an event normalized again from its raw JSON.
  package let restore: (@Sendable (inout CanonicalEvent, FieldValue?) -> Void)?

  init(
    _ name: String, _ type: FieldType, _ description: String, sources: [EventStream: [String]] = [:],
    aliases: [String] = [], indexed: Bool = false, searchable: Bool? = nil, schemaVersion: Int = 1,
    ecs: String, ocsf: String, restore: (@Sendable (inout CanonicalEvent, FieldValue?) -> Void)? = nil,
    value: @escaping @Sendable (CanonicalEvent) -> FieldValue?
  ) {
    self.name = name
    self.type = type
    self.description = description
    self.sources = sources
    self.aliases = aliases
    self.indexed = indexed
    self.searchable = searchable ?? (type == .text)
    self.schemaVersion = schemaVersion
    self.ecs = ecs
    self.ocsf = ocsf
    self.restore = restore
    self.value = value
  }

  /// The storage column: the name with dots as underscores (`source.ip` → `source_ip`).
  package var column: String { name.replacingDots() }
}

extension String {
  fileprivate func replacingDots() -> String {
    String(unicodeScalars.map { $0 == "." ? "_" : Character($0) })
  }
}

extension Optional where Wrapped == String {
  var field: FieldValue? { self.map(FieldValue.string) }
}

extension Optional where Wrapped == Int {
  var field: FieldValue? { self.map { FieldValue.integer(Int64($0)) } }
}

extension Optional where Wrapped == Double {
  var field: FieldValue? { self.map(FieldValue.double) }
}

extension Optional where Wrapped == FieldValue {
  /// The stored string, for ``Field/restore``.
  var string: String? { if case .string(let value)? = self { value } else { nil } }
  var integer: Int? { if case .integer(let value)? = self { Int(exactly: value) } else { nil } }
  var double: Double? {
    switch self {
    case .double(let value)?: value
    case .integer(let value)?: Double(value)
    default: nil
    }
  }
}
