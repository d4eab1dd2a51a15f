import Foundation
import Testing
import VigilCore
import VigilDetection
import VigilEventsAPIModel
import VigilQuery

/// The built-in pack: valid, tested both ways, named with codes the API really has, documented.
@Suite struct RulePackTests {
  let library = RuleLibrary.builtIn

  @Test func thePackIsValidAndLargeEnough() {
    #expect(library.problems.isEmpty, "\(library.problems)")
    #expect(library.rules.count >= 45)
  }

  @Test func everyRuleHasAPassingPositiveAndNegativeTest() {
    for rule in library.rules {
      let failures = RuleTestRunner.run(rule)
      #expect(failures.isEmpty, "\(failures)")
      #expect(rule.tests.contains { !$0.expected.isEmpty }, "\(rule.id) has no positive test")
      #expect(rule.tests.contains { $0.expected.isEmpty }, "\(rule.id) has no negative test")
      #expect(!rule.techniques.isEmpty, "\(rule.id) names no ATT&CK technique")
      #expect(rule.tuning != nil, "\(rule.id) has no tuning notes")
    }
  }

  /// Values a filter compares `field` with, wherever it appears.
  static func values(of field: String, in filter: Filter) -> [String] {
    switch filter {
    case .all, .text: []
    case .and(let items), .or(let items): items.flatMap { values(of: field, in: $0) }
    case .not(let inner): values(of: field, in: inner)
    case .term(.field(let name), .equals(.string(let value))) where name == field: [value]
    case .term: []
    }
  }

  @Test func rulesNameOnlyActionsTypesAndObjectsTheAPIHas() throws {
    let actions = Set(
      SignInCategory.known.map(\.rawValue) + ItemUsageAction.known.map(\.rawValue) + AuditAction.known.map(\.rawValue))
    let types = Set(SignInType.known.map(\.rawValue))
    let objects = Set(AuditObjectType.known.map(\.rawValue))
    var checked = 0
    for rule in library.rules {
      var texts = [rule.filterText]
      if case .sequence(let steps, _) = rule.kind { texts += steps.map(\.filterText) }
      for text in texts where !text.isEmpty {
        let filter = try QueryParser.parse(text, now: 0).filter
        for (field, known) in [("event.action", actions), ("event.type", types), ("target.type", objects)] {
          for value in Self.values(of: field, in: filter) {
            checked += 1
            #expect(known.contains(value), "\(rule.id) names \(field) \(value), which the API does not have")
          }
        }
      }
    }
    #expect(checked > 50)
  }

  @Test func watchlistEntriesIgnoreCaseAndSpacesAndBlocksMatchAddresses() {
    let lists = Watchlists.standard(adding: ["known_networks": ["  10.1.0.0/16\t", " Office-VPN "]])
    #expect(lists.contains(.string("10.1.200.7"), in: "known_networks"))
    #expect(!lists.contains(.string("10.2.0.1"), in: "known_networks"))
    #expect(lists.contains(.string("office-vpn"), in: "known_networks"))
    #expect(lists.contains(.string("ru"), in: "risky_countries"))
    #expect(!lists.contains(.string("SE"), in: "risky_countries"))
    #expect(!lists.contains(.string("SE"), in: "no_such_list"))
  }

  @Test func aWrongCodeIsCaught() throws {
    let filter = try QueryParser.parse("action:dsblmfa target.type:fw", now: 0).filter
    #expect(Self.values(of: "event.action", in: filter) == ["dsblmfa"])
    #expect(!AuditAction.known.map(\.rawValue).contains("dsblmfa"))
    #expect(Self.values(of: "target.type", in: filter) == ["fw"])
  }

  @Test func docsListEveryBuiltInRule() throws {
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/rules.md")
    let text = try String(contentsOf: docs, encoding: .utf8)
    let begin = "<!-- rules:begin -->\n"
    let end = "<!-- rules:end -->"
    let start = try #require(text.range(of: begin))
    let stop = try #require(text.range(of: end))
    #expect(
      String(text[start.upperBound..<stop.lowerBound]) == library.markdownTable(),
      "docs/rules.md is out of date: regenerate its table with `vigil rules list --format markdown`")
  }
}
