import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilForwarder
import VigilSinks
import VigilTestSupport

/// Each vendor's sink against a loopback receiver that enforces the vendor's documented contract:
/// the exact documents that arrived, the headers and auth, compression, and what the sink does with
/// the receiver's partial failures and throttling.
@Suite struct VendorSinkTests {
  static let events = SampleEvents.generate(users: 4, days: 1) { _ in "acme" }
  static let byUUID = SinkHarness.byUUID(events)

  /// A received JSON object without the given keys, for comparing with the raw event.
  static func without(_ keys: Set<String>, _ object: [String: Any]?) -> NSDictionary {
    NSDictionary(dictionary: (object ?? [:]).filter { !keys.contains($0.key) })
  }

  @Test func splunkHECGetsTheAppsSourcetypesAndEventTimesAndSkipsOnlyTheRefusedEvent() async throws {
    let events = Self.events
    let refused = events[5].uuid
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(SplunkHECContract(token: "hec-t0ken")) { receiver, url in
        receiver.reject([refused])
        receiver.fail(next: 2, status: 503)
        let store = try await SinkHarness.store(events)
        let destination = SplunkHECDestination(
          url: url, token: "hec-t0ken", index: "onepassword", source: "vigil", host: "vigil-host")
        try await SinkHarness.runToEnd(
          SinkHarness.service(
            "splunk", HTTPSinkConnection(destination: destination, transport: transport), store: store),
          name: "splunk", store: store)
        #expect(receiver.problems.isEmpty)
        #expect(receiver.statuses.filter { $0 == 503 }.count == 2)
        #expect(receiver.statuses.contains(400))
        #expect(receiver.requests.allSatisfy { $0.headers["content-encoding"] == "gzip" })
        let documents = receiver.documents
        #expect(documents.count == events.count - 1)
        var seen = Set<String>()
        for document in documents {
          let object = document.object ?? [:]
          let rawEvent = object["event"] as? [String: Any] ?? [:]
          let uuid = rawEvent["uuid"] as? String ?? ""
          let event = try #require(Self.byUUID[uuid])
          #expect(seen.insert(uuid).inserted)
          #expect(NSDictionary(dictionary: rawEvent) == SinkHarness.raw(event))
          #expect(object["sourcetype"] as? String == SplunkHECDestination.sourcetype(event.stream))
          #expect(object["index"] as? String == "onepassword")
          #expect(object["source"] as? String == "vigil")
          #expect(object["host"] as? String == "vigil-host")
          let time = try #require(object["time"] as? Double)
          #expect(abs(time - event.time.epochSeconds) < 0.001)
          #expect(Set(object.keys) == ["time", "host", "source", "sourcetype", "index", "event"])
        }
        #expect(!seen.contains(refused))
        let quarantined = await store.quarantined(sink: "splunk", limit: 10)
        #expect(quarantined.map(\.uuid) == [refused])
        #expect(quarantined.first?.reason.contains("Invalid data format") == true)
      }
    }
  }

  @Test func splunkHECWithIndexerAcknowledgementWaitsForEachAck() async throws {
    let contract = SplunkHECContract(token: "hec-t0ken", acknowledgement: true, ackDelay: 3)
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(contract) { receiver, url in
        let store = try await SinkHarness.store(Self.events)
        let connection = SplunkAcknowledgedConnection(
          destination: SplunkHECDestination(url: url, token: "hec-t0ken"), transport: transport, clock: SystemClock(),
          pollInterval: 0.01, timeout: 240)
        try await SinkHarness.runToEnd(
          SinkHarness.service("splunk", connection, store: store), name: "splunk", store: store)
        #expect(receiver.problems.isEmpty)
        let batches = receiver.requests.filter { $0.path == "/services/collector/event" }
        let channels = Set(receiver.requests.compactMap { $0.headers["x-splunk-request-channel"] })
        #expect(channels.count == 1)
        #expect(channels.first?.count == 36)
        // Each batch was acknowledged only on its third poll.
        #expect(contract.ackPolls >= 3 * batches.count)
        #expect(Set(receiver.documents.compactMap { $0.value("event.uuid") as? String }).count == Self.events.count)
      }
    }
  }

  @Test(arguments: DatadogDestination.OldEvents.allCases)
  func datadogGetsTheEventsKeysAndFollowsTheOldEventsPolicy(_ policy: DatadogDestination.OldEvents) async throws {
    let events = SampleEvents.generate(users: 4, days: 2) { _ in "acme" }
    let byUUID = SinkHarness.byUUID(events)
    let now = SampleEvents.now
    let old = Set(events.filter { now.epochSeconds - $0.time.epochSeconds > DatadogDestination.maximumAge }.map(\.uuid))
    #expect(!old.isEmpty && old.count < events.count)
    let contract = DatadogContract(apiKey: "dd-key", now: now)
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(contract) { receiver, url in
        receiver.fail(next: 1, status: 429, retryAfter: "0")
        let store = try await SinkHarness.store(events)
        let destination = DatadogDestination(
          url: url, apiKey: "dd-key", service: "1password", hostname: "vigil-host", tags: ["env:prod"],
          oldEvents: policy)
        try await SinkHarness.runToEnd(
          SinkHarness.service(
            "datadog", HTTPSinkConnection(destination: destination, transport: transport), store: store,
            clock: ManualClock(start: now)), name: "datadog", store: store)
        #expect(receiver.problems.isEmpty)
        #expect(receiver.statuses.first == 429)
        #expect(receiver.requests.allSatisfy { $0.headers["content-encoding"] == "gzip" })
        // Nothing was sent that Datadog would take without indexing.
        #expect(contract.dropped.isEmpty)
        let expected = policy == .skip ? events.filter { !old.contains($0.uuid) } : events
        #expect(receiver.documents.count == expected.count)
        for document in receiver.documents {
          let object = try #require(document.object)
          let event = try #require(byUUID[object["uuid"] as? String ?? ""])
          let tags = "stream:\(event.stream.rawValue),account:acme,env:prod"
          #expect(object["ddsource"] as? String == "1password")
          #expect(object["service"] as? String == "1password")
          #expect(object["hostname"] as? String == "vigil-host")
          #expect(object["ddtags"] as? String == tags)
          var raw = SinkHarness.raw(event) as? [String: Any] ?? [:]
          if old.contains(event.uuid) {
            raw["event_timestamp"] = raw.removeValue(forKey: "timestamp")
          }
          #expect(Self.without(["ddsource", "service", "hostname", "ddtags"], object) == NSDictionary(dictionary: raw))
        }
        let skipped = await store.sinkStatuses().first?.skipped ?? 0
        #expect(skipped == (policy == .skip ? Int64(old.count) : 0))
      }
    }
  }

  @Test func datadogIsolatesALogRefusedWithItsWholeRequest() async throws {
    let refused = Self.events[9].uuid
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(DatadogContract(apiKey: "dd-key", now: SampleEvents.now)) { receiver, url in
        receiver.reject([refused])
        let store = try await SinkHarness.store(Self.events)
        let destination = DatadogDestination(url: url, apiKey: "dd-key")
        try await SinkHarness.runToEnd(
          SinkHarness.service(
            "datadog", HTTPSinkConnection(destination: destination, transport: transport), store: store,
            clock: ManualClock(start: SampleEvents.now)), name: "datadog", store: store)
        let arrived = receiver.documents.compactMap { $0.value("uuid") as? String }
        #expect(Set(arrived) == Set(Self.events.map(\.uuid)).subtracting([refused]))
        #expect(arrived.count == Set(arrived).count)
        let quarantined = await store.quarantined(sink: "datadog", limit: 10)
        #expect(quarantined.map(\.uuid) == [refused])
        #expect(quarantined.first?.reason.hasPrefix("HTTP 400") == true)
      }
    }
  }

  @Test func sumoLogicGetsOneRawEventPerLineWithItsSourceHeaders() async throws {
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(SumoLogicContract(token: "ZaVnC4dhaV3")) { receiver, url in
        receiver.fail(next: 1, status: 429)
        let store = try await SinkHarness.store(Self.events)
        let destination = SumoLogicDestination(
          url: url + "/receiver/v1/http/ZaVnC4dhaV3", category: "security/1password", name: "vigil", host: "vigil-host")
        try await SinkHarness.runToEnd(
          SinkHarness.service("sumo", HTTPSinkConnection(destination: destination, transport: transport), store: store),
          name: "sumo", store: store)
        #expect(receiver.problems.isEmpty)
        #expect(receiver.statuses.first == 429)
        for request in receiver.requests {
          #expect(request.headers["content-encoding"] == "gzip")
          #expect(request.headers["x-sumo-category"] == "security/1password")
          #expect(request.headers["x-sumo-name"] == "vigil")
          #expect(request.headers["x-sumo-host"] == "vigil-host")
        }
        let lines = receiver.documents.map(\.bytes)
        #expect(
          lines.sorted { $0.lexicographicallyPrecedes($1) }
            == Self.events.map(\.raw).sorted {
              $0.lexicographicallyPrecedes($1)
            })
      }
    }
  }

  @Test func sentinelFetchesOneTokenReusesItAndFetchesAnotherWhenRefused() async throws {
    let contract = SentinelContract(
      tenant: "contoso-tenant", clientID: "app-id", clientSecret: "s3cret+/=", ruleID: "dcr-0123",
      stream: "Custom-OnePasswordEventLogs_CL")
    let half = Self.events.count / 2
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(contract) { receiver, url in
        let store = try await SinkHarness.store(Array(Self.events.prefix(half)))
        let tokens = EntraTokens(
          request: EntraTokenRequest(
            tenant: "contoso-tenant", clientID: "app-id", clientSecret: "s3cret+/=", authority: url),
          transport: transport, clock: SystemClock())
        let connection = HTTPSinkConnection(
          destination: SentinelDestination(endpoint: url, ruleID: "dcr-0123"), transport: transport, tokens: tokens)
        try await SinkHarness.runToEnd(
          SinkHarness.service("sentinel", connection, store: store, events: 10), name: "sentinel", store: store)
        #expect(contract.tokensIssued == 1)
        #expect(receiver.requests.filter { $0.path.hasPrefix("/dataCollectionRules/") }.count > 2)
        // The token stops working: the next call is refused, a new token is fetched, nothing is quarantined.
        contract.expireTokens()
        _ = try await SinkHarness.store(Array(Self.events.dropFirst(half)), into: store)
        try await SinkHarness.runToEnd(
          SinkHarness.service("sentinel", connection, store: store, events: 10), name: "sentinel", store: store)
        #expect(contract.tokensIssued == 2)
        #expect(receiver.statuses.contains(401))
        #expect(await store.quarantineCounts().isEmpty)
        #expect(receiver.problems.isEmpty)
        #expect(receiver.documents.count == Self.events.count)
        for document in receiver.documents {
          let object = try #require(document.object)
          let event = try #require(Self.byUUID[object["uuid"] as? String ?? ""])
          #expect(object["TimeGenerated"] as? String == event.time.rfc3339)
          #expect(object["log_source"] as? String == SentinelDestination.logSource(event.stream))
          #expect(Self.without(["TimeGenerated", "log_source"], object) == SinkHarness.raw(event))
        }
      }
    }
  }

  @Test func otlpGetsCatalogAttributesAndHonoursPartialSuccessWithoutResending() async throws {
    let dropped = Self.events[2].uuid
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(OTLPContract(headers: ["Authorization": "Bearer otel"])) { receiver, url in
        receiver.reject([dropped])
        receiver.fail(next: 1, status: 503, retryAfter: "0")
        let store = try await SinkHarness.store(Self.events)
        let destination = OTLPDestination(endpoint: url, headers: [("Authorization", "Bearer otel")])
        try await SinkHarness.runToEnd(
          SinkHarness.service("otel", HTTPSinkConnection(destination: destination, transport: transport), store: store),
          name: "otel", store: store)
        #expect(receiver.problems.isEmpty)
        #expect(receiver.statuses.first == 503)
        // The partial success is final: the dropped record is neither sent again nor quarantined.
        #expect(receiver.documents.count == Self.events.count - 1)
        #expect(await store.quarantineCounts().isEmpty)
        for document in receiver.documents {
          let object = try #require(document.object)
          let body = (object["body"] as? [String: Any])?["stringValue"] as? String ?? ""
          let raw = try #require((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])
          let event = try #require(Self.byUUID[raw["uuid"] as? String ?? ""])
          #expect(NSDictionary(dictionary: raw) == SinkHarness.raw(event))
          #expect(object["timeUnixNano"] as? String == String(FieldValue.nanoseconds(event.time)))
          var attributes: [String: String] = [:]
          for attribute in object["attributes"] as? [[String: Any]] ?? [] {
            let value = attribute["value"] as? [String: Any]
            attributes[attribute["key"] as? String ?? ""] = value?["stringValue"] as? String
          }
          #expect(attributes["event.uuid"] == event.uuid)
          #expect(attributes["event.account"] == "acme")
          #expect(attributes["event.stream"] == event.stream.rawValue)
        }
      }
    }
  }
}
