import Foundation
import Testing
import VigilCore
import VigilEventsAPIModel
import VigilFormats
import VigilJSON
import VigilTestSupport

@Suite struct MappingTests {
  private func encoded(
    _ encoder: some EventEncoder, _ name: String, _ stream: EventStream, enriched: Bool
  ) throws -> JSONDocument {
    let event =
      enriched ? try FormatFixtures.enriched(name, stream: stream) : try FormatFixtures.event(name, stream: stream)
    var output: [UInt8] = []
    encoder.encode(event, into: &output)
    return try JSONDocument(bytes: Array(output.dropLast()))
  }

  private func ecs(_ name: String, _ stream: EventStream, enriched: Bool = false) throws -> JSONDocument {
    try encoded(ECSEncoder(), name, stream, enriched: enriched)
  }

  private func ocsf(_ name: String, _ stream: EventStream, enriched: Bool = false) throws -> JSONDocument {
    try encoded(OCSFEncoder(), name, stream, enriched: enriched)
  }

  @Test func ecsSignInFollowsElasticsIntegration() throws {
    let doc = try ecs("signin-v1", .signInAttempts).root
    #expect(doc["@timestamp"]?.string == "2021-08-11T15:04:22Z")
    #expect(doc["data_stream"]?["dataset"]?.string == "1password.signin_attempts")
    #expect(doc["event"]?["category"]?.elements.map(\.string) == ["authentication"])
    #expect(doc["event"]?["type"]?.elements.map(\.string) == ["info"])
    #expect(doc["event"]?["action"]?.string == "credentials_failed")
    #expect(doc["event"]?["outcome"]?.string == "failure")
    #expect(doc["event"]?["reason"]?.string == "password_secret_bad")
    #expect(doc["source"]?["ip"]?.string == "89.160.20.156")
    #expect(doc["user"]?["full_name"]?.string == "Name")
    #expect(doc["host"]?["os"]?["name"]?.string == "Android")
    #expect(doc["user_agent"]?["name"]?.string == "Chrome")
    #expect(doc["onepassword"]?["client"]?["app_name"]?.string == "1Password Browser Extension")
    #expect(doc["onepassword"]?["country"]?.string == "AR")
    #expect(doc["related"]?["ip"]?.elements.map(\.string) == ["89.160.20.156"])
    #expect(
      doc["related"]?["user"]?.elements.map(\.string) == ["OJQGU46KAPROEJLCK674RHSAY5", "email@1password.com", "Name"])
    // No geo in a v1 sign-in beyond its country code, and no empty objects.
    #expect(doc["source"]?["geo"]?["city_name"] == nil)
    #expect(doc["threat"] == nil)
  }

  @Test func ecsAuditFillsTheGapsElasticLeaves() throws {
    let manager = try ecs("audit-v2-group-manager", .auditEvents).root
    #expect(manager["event"]?["category"]?.elements.map(\.string) == ["configuration", "iam"])
    #expect(manager["event"]?["type"]?.elements.map(\.string) == ["access", "group", "change"])
    #expect(manager["event"]?["outcome"]?.string == "success")
    #expect(manager["group"]?["id"]?.string == "pf8soyakgngrphytsyjed4ae3u")
    #expect(manager["user"]?["target"]?["email"]?.string == "wendy_appleseed@agilebits.com")
    #expect(manager["onepassword"]?["aux_info"]?.string == "A")
    #expect(manager["@timestamp"]?.string == "2023-03-15T19:33:50Z")
    let suspend = try ecs("audit-v1", .auditEvents).root
    #expect(suspend["user"]?["target"]?["id"]?.string == "ZRQCUD6A65AKHFETOUFO7NL4OM")
    #expect(suspend["source"]?["geo"]?["country_iso_code"]?.string == "CA")
    #expect(suspend["source"]?["geo"]?["location"]?["lon"]?.double == -79.433)
    #expect(suspend["onepassword"]?["session"]?["login_time"]?.string == "2022-10-24T21:07:34.703106271Z")
  }

  @Test func ecsCarriesEnrichment() throws {
    let doc = try ecs("signin-v1", .signInAttempts, enriched: true).root
    #expect(doc["source"]?["as"]?["number"]?.int == 29518)
    #expect(doc["source"]?["as"]?["organization"]?["name"]?.string == "Bredband2 AB")
    #expect(doc["threat"]?["feed"]?["name"]?.string == "tor-exits")
    let enrichment = try #require(doc["threat"]?["enrichments"]?.elements.map { $0 }.first)
    #expect(enrichment["indicator"]?["ip"]?.string == "89.160.20.156")
    #expect(enrichment["indicator"]?["confidence"]?.string == "High")
    #expect(enrichment["matched"]?["field"]?.string == "source.ip")
    #expect(doc["network"]?["name"]?.string == "branch-vpn")
    #expect(doc["vigil"]?["user"]?["department"]?.string == "Engineering")
  }

  @Test func ocsfClassesPerStreamAndAction() throws {
    let cases: [(String, EventStream, Int, Int, Int)] = [
      ("signin-v1", .signInAttempts, 3002, 1, 2),
      ("signin-v2-firewall-unknown", .signInAttempts, 3002, 1, 3),
      ("itemusage-v1", .itemUsages, 3004, 2, 1),
      ("itemusage-v2-nulls-unknown", .itemUsages, 3004, 99, 1),
      ("audit-v1", .auditEvents, 3001, 5, 3),
      ("audit-v2-group-manager", .auditEvents, 3006, 3, 1),
      ("audit-v2-unknown", .auditEvents, 3004, 99, 1),
      ("audit-v2-mfa-disabled", .auditEvents, 3001, 11, 3),
    ]
    for (name, stream, classUID, activity, severity) in cases {
      let doc = try ocsf(name, stream).root
      #expect(doc["class_uid"]?.int == classUID, "\(name)")
      #expect(doc["activity_id"]?.int == activity, "\(name)")
      #expect(doc["type_uid"]?.int == classUID * 100 + activity, "\(name)")
      #expect(doc["category_uid"]?.int == 3, "\(name)")
      #expect(doc["severity_id"]?.int == severity, "\(name)")
      #expect(doc["metadata"]?["product"]?["vendor_name"]?.string == "1Password", "\(name)")
      #expect(doc["metadata"]?["version"]?.string == "1.3.0", "\(name)")
    }
  }

  @Test func ocsfPlacesPeopleByClass() throws {
    let signIn = try ocsf("signin-v1", .signInAttempts).root
    #expect(signIn["user"]?["email_addr"]?.string == "email@1password.com")
    #expect(signIn["status"]?.string == "Failure")
    #expect(signIn["status_detail"]?.string == "password_secret_bad")
    #expect(signIn["time"]?.int == 1_628_694_262_000)
    let manager = try ocsf("audit-v2-group-manager", .auditEvents).root
    #expect(manager["actor"]?["user"]?["email_addr"]?.string == "jeff_shiner@agilebits.com")
    #expect(manager["user"]?["email_addr"]?.string == "wendy_appleseed@agilebits.com")
    #expect(manager["group"]?["uid"]?.string == "pf8soyakgngrphytsyjed4ae3u")
    let usage = try ocsf("itemusage-v1", .itemUsages, enriched: true).root
    #expect(usage["entity"]?["uid"]?.string == "bvwmmwxisuca7wbehrbyqhag54")
    #expect(usage["entity"]?["name"]?.string == "AWS root")
    #expect(usage["src_endpoint"]?["location"]?["city"]?.string == "Toronto")
    #expect(usage["severity_id"]?.int == 4)
    #expect(usage["enrichments"]?.elements.map { $0["provider"]?.string } == ["tor-exits", "firehol_level1"])
  }

  /// The catalog documents each field's ECS and OCSF place (`docs/fields.md`); every field an event
  /// carries must be found at one of them, so documentation and encoders cannot drift apart.
  @Test(arguments: [ExportFormat.ecs, .ocsf])
  func everyCatalogFieldIsWhereTheCatalogSays(format: ExportFormat) throws {
    var checked = Set<String>()
    for input in FormatFixtures.inputs {
      let event = try FormatFixtures.enriched(input.name, stream: input.stream)
      let doc =
        format == .ecs
        ? try ecs(input.name, input.stream, enriched: true) : try ocsf(input.name, input.stream, enriched: true)
      for field in FieldCatalog.fields where field.value(event) != nil {
        let documented = format == .ecs ? field.ecs : field.ocsf
        let paths = Self.paths(documented)
        #expect(!paths.isEmpty, "\(field.name) has no \(format) target")
        let found = paths.contains { Self.exists($0, in: doc.root) }
        #expect(found, "\(input.name): \(field.name) is at none of \(paths) in \(format)")
        checked.insert(field.name)
      }
    }
    #expect(
      checked.count == FieldCatalog.fields.count,
      "fields never exercised: \(Set(FieldCatalog.fields.map(\.name)).subtracting(checked))")
  }

  /// Dotted paths in a catalog target such as "user.uid (sign-ins), actor.user.uid" or
  /// "threat.enrichments[].indicator.ip".
  static func paths(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == "," || $0 == ";" }).compactMap { part in
      let word = part.split(separator: " ").first.map(String.init) ?? ""
      let cleaned = word.replacingOccurrences(of: "`", with: "")
      guard let first = cleaned.unicodeScalars.first, first == "@" || ("a"..."z").contains(first) else { return nil }
      return cleaned
    }
  }

  static func exists(_ path: String, in value: JSONValue) -> Bool {
    var current: [JSONValue] = [value]
    for step in path.split(separator: ".") {
      var key = String(step)
      var intoArray = false
      if key.hasSuffix("[]") || key.hasSuffix("[0]") {
        key = String(key.prefix(while: { $0 != "[" }))
        intoArray = true
      }
      current = current.compactMap { $0[key] }
      if intoArray { current = current.flatMap { Array($0.elements) } }
      if current.isEmpty { return false }
    }
    return true
  }
}
