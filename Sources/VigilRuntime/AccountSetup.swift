import Logging
import VigilBase
import VigilCollector
import VigilConfig
import VigilCore
import VigilEventsAPI
import VigilEventsAPIModel

/// Turns configured accounts into collector accounts: reads each token, builds one client per token
/// (its streams share the rate budget) and picks the streams (``StreamSelection``). An account whose
/// token cannot be used is reported and left out; the others run.
package struct AccountSetup: Sendable {
  /// An account left out, with the streams it would have collected and why.
  package struct Broken: Sendable {
    package var name: String
    package var streams: [EventStream]
    package var reason: String
  }

  package var accounts: [CollectorAccount] = []
  package var broken: [Broken] = []

  /// Streams that will be collected.
  package var streamCount: Int { accounts.reduce(0) { $0 + $1.streams.count } }

  package init(
    configuration: VigilConfiguration, transport: any HTTPTransport, clock: any VigilClock, logger: Logger,
    since: Timestamp? = nil
  ) {
    let now = clock.now
    // The API serves 120 days; ask for a little less so that the start is never refused as too old.
    let oldest = now.adding(seconds: -StreamReader.servedWindow)
    for account in configuration.accounts {
      let token: EventsToken
      do {
        token = try TokenSource.read(account.token)
      } catch {
        broken.append(Broken(name: account.name, streams: account.streams ?? EventStream.allCases, reason: "\(error)"))
        continue
      }
      if let warning = TokenSource.exposure(account.token) {
        logger.warning("\(warning)", metadata: ["account": .string(account.name)])
      }
      let streams = StreamSelection.streams(configured: account.streams, token: token)
      var clientConfiguration = EventsAPIClient.Configuration(baseURL: account.url)
      clientConfiguration.version = account.apiVersion
      var accountLogger = logger
      accountLogger[metadataKey: "account"] = .string(account.name)
      let client: EventsAPIClient
      do {
        client = try EventsAPIClient(
          token: token, configuration: clientConfiguration, transport: transport, clock: clock, logger: accountLogger)
      } catch {
        broken.append(Broken(name: account.name, streams: streams, reason: "\(error)"))
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

  /// Marks the broken accounts' streams as failing in the store, so `vigil status` says why.
  func recordBroken(in store: any IngestStore, at time: Timestamp) async {
    for account in broken {
      for stream in account.streams {
        try? await store.recordError(
          StreamKey(account: account.name, stream: stream), message: account.reason, at: time)
      }
    }
  }
}
