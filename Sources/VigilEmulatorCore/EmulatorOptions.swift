import VigilEventsAPIModel

/// Everything that shapes an emulator run.
package struct EmulatorOptions: Sendable {
  package var seed: UInt64 = 1
  /// Derives the token signing key, so tokens survive a restart; nil (the default) draws a random key
  /// per process, because the organisation seed is public.
  package var tokenKeySeed: UInt64?
  /// Days of history before "now".
  package var days = 30
  package var users = 50
  /// Accounts served; with more than one, the first acts as the MSP whose technicians appear in the
  /// others as external users (v2 MSP fields).
  package var accounts = 1
  package var scenarios: [ScenarioName] = ScenarioName.attacks
  package var faults = FaultPlan()
  /// Remember the uuid of every event served in a 200 response (tests of what a client received).
  package var recordServed = false
  package var limits: RateLimits = .eventsAPI
  /// Send `Retry-After` with 429 responses (the real v1/v2 API does not document it).
  package var sendRetryAfter = true
  /// The host tokens name in `aud`.
  package var audience = EventsHost.business.rawValue
  /// How many days of data the API serves.
  package var retentionDays = 120
  /// Raw API items to serve, per stream.
  package var replay: [(EventStream, [UInt8])] = []

  package init() {}
}
