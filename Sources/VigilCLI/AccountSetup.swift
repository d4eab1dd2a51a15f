import Collector
import EventsAPI
import EventsAPIModel
import Foundation
import Logging
import VigilConfig
import VigilCore

/// Turns configured accounts into collector accounts: reads each token, builds one client per token
/// (its streams share the rate budget) and picks the streams. An account whose token cannot be used is
/// reported and left out; the others run.
struct AccountSetup {
  var accounts: [CollectorAccount] = []
  /// Accounts left out, each with the streams it would have collected and why.
  var broken: [(name: String, streams: [EventStream], reason: String)] = []

  init(
    configuration: VigilConfiguration, transport: any HTTPTransport, clock: any VigilClock, logger: Logger,
    since: Timestamp? = nil
  ) {
    let now = clock.now
    // The API serves 120 days; ask for a little less so that the start is never refused as too old.
    let oldest = now.adding(seconds: -120 * 86_400 + 600)
    for account in configuration.accounts {
      let wanted = account.streams ?? EventStream.allCases
      let token: EventsToken
      do {
        token = try Self.readToken(account.token)
      } catch {
        broken.append((account.name, wanted, "\(error)"))
        continue
      }
      var streams =
        account.streams ?? EventStream.allCases.filter { token.features.isEmpty || token.features.contains($0.feature) }
      if streams.isEmpty { streams = wanted }
      var clientConfiguration = EventsAPIClient.Configuration(baseURL: account.url)
      clientConfiguration.version = account.apiVersion
      var accountLogger = logger
      accountLogger[metadataKey: "account"] = .string(account.name)
      let client: EventsAPIClient
      do {
        client = try EventsAPIClient(
          token: token, configuration: clientConfiguration, transport: transport, clock: clock, logger: accountLogger)
      } catch {
        broken.append((account.name, streams, "\(error)"))
        continue
      }
      var start = since ?? account.start ?? oldest
      if start < oldest { start = oldest }
      // Nothing older than retention is worth fetching: it would be deleted again.
      let retained = streams.compactMap { configuration.retention.cutoff(for: $0, now: now) }.min()
      if let retained, start < retained { start = retained }
      accounts.append(CollectorAccount(name: account.name, client: client, streams: streams, start: start))
    }
  }

  static func readToken(_ location: AccountConfiguration.TokenLocation) throws -> EventsToken {
    switch location {
    case .file(let path): try TokenSource.read(file: path, environment: nil)
    case .environment(let name): try TokenSource.read(file: nil, environment: name)
    }
  }

  /// Marks the broken accounts' streams as failing in the store, so `vigil status` says why.
  func recordBroken(in store: any EventStore, at time: Timestamp) async {
    for account in broken {
      for stream in account.streams {
        try? await store.recordError(
          StreamKey(account: account.name, stream: stream), message: account.reason, at: time)
      }
    }
  }
}
