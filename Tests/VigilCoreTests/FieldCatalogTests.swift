import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilTestSupport

@Suite struct FieldCatalogTests {
  @Test func namesColumnsAndAliasesAreUnique() {
    let names = FieldCatalog.fields.map(\.name)
    #expect(Set(names).count == names.count)
    let columns = FieldCatalog.fields.map(\.column)
    #expect(Set(columns).count == columns.count)
    var aliasOwners: [String: String] = [:]
    for field in FieldCatalog.fields {
      for alias in field.aliases {
        #expect(aliasOwners[alias] == nil, "alias \(alias) is used twice")
        aliasOwners[alias] = field.name
        #expect(!names.contains(alias) || alias == field.name, "alias \(alias) shadows a field name")
      }
    }
  }

  @Test func everyFieldIsDescribedAndReachableByNameAndAlias() {
    for field in FieldCatalog.fields {
      #expect(!field.description.isEmpty, "\(field.name)")
      #expect(FieldCatalog.field(named: field.name)?.name == field.name)
      for alias in field.aliases { #expect(FieldCatalog.field(named: alias)?.name == field.name) }
    }
    #expect(FieldCatalog.field(named: "ip")?.name == "source.ip")
    #expect(FieldCatalog.field(named: "no.such.field") == nil)
  }

  @Test func accessorsReadTheDocumentedValues() throws {
    let event = try WireFixtures.event("itemusage-v1.json", stream: .itemUsages)
    #expect(FieldCatalog.countryCode.value(event) == .string("CA"))
    #expect(FieldCatalog.itemVersion.value(event) == .integer(1))
    #expect(FieldCatalog.latitude.value(event) == .double(43.64))
    #expect(FieldCatalog.time.value(event) == .time(.fixture("2021-08-30T18:57:42.484Z")))
    #expect(FieldCatalog.targetType.value(event) == nil)
  }

  @Test func nanosecondTimesRoundTrip() {
    for text in ["1969-12-31T23:59:59.999999999Z", "2022-10-24T21:16:52.827288935Z", "1970-01-01T00:00:00Z"] {
      let time = Timestamp.fixture(text)
      #expect(FieldValue.timestamp(nanoseconds: FieldValue.nanoseconds(time)) == time, "\(text)")
    }
  }

  /// `docs/fields.md` is generated; this keeps it in step with the catalog (`vigil fields > docs/fields.md`).
  @Test func generatedFieldDocumentIsUpToDate() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../docs/fields.md"
    ).standardized
    let written = try String(contentsOf: path, encoding: .utf8)
    #expect(written == FieldCatalog.markdown(), "docs/fields.md is stale: run `vigil fields > docs/fields.md`")
  }
}

@Suite struct StorageURLTests {
  @Test func sqliteAndPostgresForms() {
    #expect(StorageURL("sqlite:///var/lib/vigil/vigil.db") == .sqlite(path: "/var/lib/vigil/vigil.db"))
    #expect(StorageURL("sqlite:vigil.db") == .sqlite(path: "vigil.db"))
    #expect(StorageURL("/tmp/x.db") == .sqlite(path: "/tmp/x.db"))
    #expect(StorageURL("mysql://x") == nil)
    #expect(StorageURL("sqlite://") == nil)
    let postgres = StorageURL("postgres://vigil:s3cret@db:5432/vigil")
    #expect(postgres == .postgres(url: "postgres://vigil:s3cret@db:5432/vigil"))
    #expect(postgres?.description == "postgres://vigil:***@db:5432/vigil")
  }
}
