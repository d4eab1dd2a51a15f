import Testing
import VigilBase
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilTestSupport

@Suite struct ErrorPathTests {
  @Test func revokedTokenIsUnauthorized() async throws {
    try await withEmulatorHarness { harness in
      let token = try harness.token()
      let client = try harness.client(token)
      _ = try await client.page(.auditEvents, request: .reset(limit: 1, startTime: nil, endTime: nil))
      #expect(harness.engine.revoke(token.tokenID ?? ""))
      do throws(EventsAPIError) {
        _ = try await client.page(.auditEvents, request: .reset(limit: 1, startTime: nil, endTime: nil))
        Issue.record("expected 401")
      } catch {
        #expect(error == .unauthorized(stream: .auditEvents, message: "Unauthorized"))
        #expect(error.isAuthorization)
        #expect(!error.description.contains(token.bearer))
      }
    }
  }

  @Test func expiredTokenIsRefusedWithoutARequest() async throws {
    try await withEmulatorHarness { harness in
      let token = try harness.token(expiresIn: 60)
      let client = try harness.client(token)
      _ = try await client.page(.auditEvents, request: .reset(limit: 1, startTime: nil, endTime: nil))
      harness.clock.advance(seconds: 120)
      let requests = harness.engine.stats.requests
      await #expect(throws: EventsAPIError.tokenExpired(token.expiresAt ?? EmulatorHarness.start)) {
        _ = try await client.page(.auditEvents, request: .reset(limit: 1, startTime: nil, endTime: nil))
      }
      #expect(harness.engine.stats.requests == requests)
    }
  }

  @Test func expiredTokenIsRefusedByTheEmulatorToo() async throws {
    try await withEmulatorHarness { harness in
      let token = try harness.token(expiresIn: 60)
      harness.clock.advance(seconds: 120)
      let response = harness.engine.events(
        version: .v2, stream: .auditEvents, authorization: "Bearer \(token.bearer)", body: Array("{}".utf8))
      #expect(response.status == 401)
    }
  }

  @Test func missingFeatureIsReportedLocallyAndRefusedRemotely() async throws {
    try await withEmulatorHarness { harness in
      let token = try harness.token(features: ["signinattempts"])
      let client = try harness.client(token)
      await #expect(throws: EventsAPIError.featureMissing(.auditEvents)) {
        _ = try await client.page(.auditEvents, request: .reset(limit: 1, startTime: nil, endTime: nil))
      }
      let response = harness.engine.events(
        version: .v2, stream: .auditEvents, authorization: "Bearer \(token.bearer)", body: [])
      #expect(response.status == 401)
      _ = try await client.page(.signInAttempts, request: .reset(limit: 1, startTime: nil, endTime: nil))
    }
  }

  @Test func garbageAndForgedTokensAreUnauthorized() async throws {
    try await withEmulatorHarness { harness in
      let good = try harness.token()
      let parts = good.bearer.split(separator: ".")
      let forged = try EventsToken(parts[0] + "." + parts[1] + "." + Base64URL.encode([UInt8](repeating: 7, count: 64)))
      await #expect(throws: EventsAPIError.unauthorized(stream: .signInAttempts, message: "Unauthorized")) {
        _ = try await harness.client(forged).page(
          .signInAttempts, request: .reset(limit: 1, startTime: nil, endTime: nil))
      }
      for header in [nil, "Bearer", "Bearer x.y.z", "Basic abc"] {
        #expect(
          harness.engine.events(version: .v1, stream: .signInAttempts, authorization: header, body: []).status == 401)
      }
    }
  }

  @Test func rejectedCursorFallsBackToAResetWithoutLoss() async throws {
    try await withEmulatorHarness { harness in
      let client = try harness.client(try harness.token())
      var reader = StreamReader(
        client: client, stream: .itemUsages, startTime: Timestamp(rfc3339: "2020-01-01T00:00:00Z"))
      reader.limit = 100
      var uuids: [String] = []
      for _ in 0..<3 { uuids += try await reader.next().page.items.compactMap(\.event.uuid) }
      harness.engine.invalidateCursors()
      let (rest, finished) = try await EmulatorHarness.pullAll(client, .itemUsages, limit: 100, reader: reader)
      uuids += rest
      #expect(finished.cursorResets == 1)
      expectComplete(uuids, harness.engine.groundTruth(stream: .itemUsages), "item usages")
    }
  }

  @Test func oversizedLimitIsABadRequest() async throws {
    try await withEmulatorHarness { harness in
      let response = harness.engine.events(
        version: .v2, stream: .itemUsages, authorization: "Bearer \(try harness.token().bearer)",
        body: Array(#"{"limit":1001}"#.utf8))
      #expect(response.status == 400)
      // The client itself never sends more than 1000.
      #expect(PageRequest.reset(limit: 5000, startTime: nil, endTime: nil).body == Array(#"{"limit":1000}"#.utf8))
    }
  }

  @Test func wrongPathIsNotFound() async throws {
    try await withEmulatorHarness { harness in
      let client = try harness.client(try harness.token(), baseURL: harness.emulator.baseURL + "/events")
      do throws(EventsAPIError) {
        _ = try await client.page(.itemUsages, request: .reset(limit: 1, startTime: nil, endTime: nil))
        Issue.record("expected 404")
      } catch {
        guard case .notFound(_, let message) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(message == "404 page not found")
      }
    }
  }

  @Test func introspectionBothVersions() async throws {
    try await withEmulatorHarness { harness in
      let token = try harness.token(features: ["auditevents", "itemusages"])
      let client = try harness.client(token)
      let v2 = try await client.introspect()
      let v1 = try await client.introspect(deprecated: true)
      #expect(v2.uuid == token.tokenID)
      #expect(v2.accountUUID == token.accountUUID)
      #expect(v2.features == ["auditevents", "itemusages"])
      #expect(v1.uuid == token.tokenID && v1.features == v2.features && v1.accountUUID == nil)
      #expect(v1.issuedAt == token.issuedAt)
    }
  }

  @Test func v1ResponsesOmitV2Fields() async throws {
    try await withEmulatorHarness { harness in
      let client = try harness.client(try harness.token(), version: .v1)
      let page = try await client.page(
        .signInAttempts,
        request: .reset(limit: 200, startTime: Timestamp(rfc3339: "2020-01-01T00:00:00Z"), endTime: nil))
      #expect(!page.items.isEmpty)
      for item in page.items {
        let raw = String(decoding: item.raw, as: UTF8.self)
        #expect(!raw.contains("account_uuid") && !raw.contains("user_type") && !raw.contains("null"))
      }
    }
  }
}
