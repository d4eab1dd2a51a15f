import VigilBase
import VigilCollector
import VigilCore
import VigilDashboards
import VigilDetection
import VigilEnrichment
import VigilEventsAPIModel
import VigilSinks

/// Everything `vigil.yaml` says, validated. Built by ``ConfigLoader``.
package struct VigilConfiguration: Sendable {
  /// Where Vigil keeps its files when a path is not given (`data_dir`, `VIGIL_DATA_DIR`).
  package var dataDirectory: String
  package var storage: StorageURL
  /// Where a PostgreSQL store's password lives (`storage.password_file`, `storage.password_env`).
  package var storagePassword: SecretLocation?
  package var retention: RetentionPolicy
  /// How the collector paces itself (`collector:`); the defaults live in ``CollectorOptions``.
  package var collector = CollectorOptions()
  /// How often retention runs while collecting (`collector.retention_interval`).
  package var retentionInterval = RetentionJob.defaultInterval
  /// Outbound HTTP for every destination: proxy, trust, timeouts (`http:`).
  package var http = HTTPSettings()
  /// Geo and ASN databases, threat feeds and lookup tables (all optional).
  package var enrichment = EnrichmentSettings()
  package var detection = DetectionSettings()
  /// Where alerts are sent (`notifications:`).
  package var notifications = NotificationSettings()
  /// The web app (`web:`): served by `vigil run` when the section is present.
  package var web = WebSettings()
  /// Where events are forwarded (`sinks:`): each sink delivered by `vigil run`.
  package var sinks: [SinkSettings] = []
  package var accounts: [AccountConfiguration]

  package init(
    dataDirectory: String, storage: StorageURL, retention: RetentionPolicy, accounts: [AccountConfiguration]
  ) {
    self.dataDirectory = dataDirectory
    self.storage = storage
    self.retention = retention
    self.accounts = accounts
  }
}

/// One 1Password account to collect from.
package struct AccountConfiguration: Hashable, Sendable {
  package typealias TokenLocation = SecretLocation

  package var name: String
  package var token: TokenLocation
  /// Overrides the API host the token names (required for legacy tokens and the emulator).
  package var url: String?
  /// Backfill start; default 120 days back (all the API serves).
  package var start: Timestamp?
  /// Streams to collect; nil: every stream the token allows.
  package var streams: [EventStream]?
  package var apiVersion: APIVersion = .v2
  /// Line in the file, for messages about this account.
  package var line: Int?

  package init(name: String, token: TokenLocation) {
    self.name = name
    self.token = token
  }
}
