import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilFormats
import VigilTestSupport

/// CEF escaping: event and alert values are attacker-controlled, so no value may end the header, start
/// an extension key or break the line.
@Suite struct CEFTests {
  static let hostile = [
    "a|b\\c", "x=y z=w", "line\nbreak\rreturn", "bell\u{07}esc\u{1B}[31m", "\u{202E}rtl",
    String(repeating: "W", count: 5_000),
  ]

  /// The header's seven fields, split on unescaped pipes.
  static func headerFields(_ line: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var escaped = false
    for character in line {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        current.append(character)
        escaped = true
      } else if character == "|", fields.count < 7 {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    fields.append(current)
    return fields
  }

  /// Extension keys: a `key=` preceded by a space (or at the start) with an unescaped `=`.
  static func extensionKeys(_ extensionText: String) -> [String] {
    var keys: [String] = []
    let characters = Array(extensionText)
    var index = 0
    var wordStart = 0
    while index < characters.count {
      if characters[index] == "\\" {
        index += 2
        continue
      }
      if characters[index] == " " { wordStart = index + 1 }
      if characters[index] == "=" { keys.append(String(characters[wordStart..<index])) }
      index += 1
    }
    return keys
  }

  @Test func hostileEventValuesStayInsideTheirFields() {
    for value in Self.hostile {
      var event = SampleEvents.of(.signInAttempts)[0]
      event.user.email = value
      event.details = value
      event.geo.city = value
      event.action = value
      let line = CEFEncoder().line(event)
      #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{1B}"))
      let fields = Self.headerFields(line)
      #expect(fields.count == 8)
      #expect(fields[0] == "CEF:0" && fields[1] == "1Password")
      let keys = Self.extensionKeys(fields[7])
      let custom = (1...5).flatMap { ["cs\($0)", "cs\($0)Label"] }
      let allowed = Set(
        [
          "rt", "externalId", "cat", "act", "outcome", "reason", "suser", "suid", "sntdom", "src", "c6a2",
          "requestClientApplication", "msg",
        ] + custom)
      #expect(Set(keys).isSubset(of: allowed), "keys \(keys)")
      #expect(line.unicodeScalars.count < 12 * (CEFEncoder.valueLimit + 40))
    }
  }

  @Test func escapesFollowTheSpecification() {
    var event = SampleEvents.of(.signInAttempts)[0]
    event.user.email = #"a=b\c"#
    event.action = "x|y"
    let line = CEFEncoder().line(event)
    #expect(line.contains(#"suser=a\=b\\c"#))
    #expect(line.contains(#"signinattempts:x\|y"#))
  }

  @Test func alertLinesAreEscapedToo() {
    for value in Self.hostile {
      let alert = AlertRecord(
        id: "a-1", rule: "rule|" + value, title: value, severity: .critical, group: ["acme", value],
        groupFields: ["event.account", "user.email"], period: 0, first: 1_000_000_000, last: 2_000_000_000, count: 3,
        evidence: [], at: Timestamp.fixture("2026-11-04T18:00:00Z"))
      let line = CEFEncoder().alertLine(alert)
      #expect(!line.contains("\n") && !line.contains("\r"))
      let fields = Self.headerFields(line)
      #expect(fields.count == 8)
      #expect(fields[1] == "Vigil" && fields[6] == "10")
      #expect(
        Set(Self.extensionKeys(fields[7])).isSubset(of: [
          "rt", "externalId", "cat", "start", "end", "cnt", "sntdom", "cs1Label", "cs1", "cs2Label", "cs2",
        ]))
    }
  }
}
