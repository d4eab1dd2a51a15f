import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilFormats
import VigilForwarder
import VigilSinks
import VigilTestSupport

/// The syslog sink against a real rsyslog on a loopback port, over TCP and over TLS (a throwaway CA):
/// what rsyslog wrote to disk is every event's RFC 5424 message, byte for byte, parsed by rsyslog
/// into the expected PRI, HOSTNAME, APP-NAME and MSGID. Over TLS the sink is stopped right after the
/// last batch: closing with close_notify must not lose the last frames.
@Suite struct SyslogSinkTests {
  static let events = SampleEvents.generate(users: 3, days: 1) { _ in "acme" }

  static func deliver(transport: RsyslogServer.Transport, body: SyslogBody) async throws {
    let directory = try TemporaryDirectory("vigil-rsyslog")
    let server = try await RsyslogServer.start(in: directory, transport: transport)
    defer { server.stop() }
    var settings = SinkSettings.Syslog(host: transport == .tls ? "localhost" : "127.0.0.1", port: server.port)
    settings.transport = transport == .tls ? .tls : .tcp
    settings.caFile = server.certificateAuthority
    settings.body = body
    settings.facility = 10
    settings.appName = "vigil-test"
    let connection = try SyslogConnection(settings: settings, hostname: "collector-1")
    let store = try await SinkHarness.store(Self.events)
    try await SinkHarness.runToEnd(
      SinkHarness.service("syslog", connection, store: store), name: "syslog", store: store)
    let count = try await server.waitForMessages(Self.events.count)
    #expect(count == Self.events.count, "rsyslog wrote \(count) of \(Self.events.count): \(server.diagnostics)")

    let expected = Self.events.map { event in
      SyslogBody.message(event, body: body, facility: 10, hostname: "collector-1", appName: "vigil-test")
    }
    // Byte for byte, in log order per stream (one connection keeps the order).
    let raw = server.rawMessages()
    #expect(raw.sorted() == expected.map { String(decoding: $0.bytes(), as: UTF8.self) }.sorted())
    for stream in EventStream.allCases {
      let sent = expected.filter { $0.msgID == stream.rawValue }.map { String(decoding: $0.bytes(), as: UTF8.self) }
      #expect(raw.filter { $0.contains(" \(stream.rawValue) ") } == sent)
    }
    // As rsyslog read them: RFC 5424 headers, the event time, and the body after the BOM.
    let parsed = server.parsedMessages().map { $0.split(separator: "|", maxSplits: 5).map(String.init) }
    for (fields, message) in zip(parsed.sorted { $0[4] < $1[4] }, expected.sorted { $0.time < $1.time }) {
      #expect(fields.count == 6)
      #expect(fields[0] == String(message.facility * 8 + message.severity))
      #expect(fields[1] == "collector-1")
      #expect(fields[2] == "vigil-test")
      #expect(["signinattempts", "itemusages", "auditevents"].contains(fields[3]))
    }
    let bodies = Set(parsed.compactMap(\.last).map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 })
    #expect(bodies == Set(expected.map { String(decoding: $0.message, as: UTF8.self) }))
  }

  @Test func tcpDeliversEveryEventAsJSON() async throws {
    try await Self.deliver(transport: .tcp, body: .json(.raw))
  }

  @Test func tlsDeliversEveryEventAsCEFAndLosesNoFrameOnClose() async throws {
    try await Self.deliver(transport: .tls, body: .cef)
  }
}
