import VigilBase
import VigilEventsAPIModel

/// One event of any stream in the shape the rest of Vigil works with: search, dashboards, rules,
/// exports and sinks all read this, never the wire types. Built by ``Normalizer``; every field that
/// the API may omit is optional, and the raw JSON is kept byte for byte.
package struct CanonicalEvent: Hashable, Sendable {
  /// The configured account name: with `stream` and `uuid`, the event's identity in the store.
  package var account: String
  package var stream: EventStream
  package var uuid: String
  /// When it happened, as the API says (nanoseconds kept). Never the ingest time.
  package var time: Timestamp
  /// When Vigil stored it.
  package var ingestedAt: Timestamp
  package var outcome: Outcome?
  /// Sign-in category, item-usage action or audit action code.
  package var action: String?
  /// Sign-in type (the reason behind the category).
  package var type: String?
  /// Who acted: the sign-in's target user, the item's user, the audit actor.
  package var user = Person()
  /// What an audit event acted on (object type, uuid and, for users, their details).
  package var target = AuditObject()
  /// The audit event's auxiliary object (group member, vault grantee, …).
  package var aux = AuxObject()
  package var sourceIP: String?
  package var geo = Geo()
  package var client = Client()
  package var vaultID: String?
  package var itemID: String?
  package var itemVersion: Int?
  package var session = Session()
  /// The `details.value` of a sign-in (the blocked continent, country or address).
  package var details: String?
  /// v2 (MSP): the account the event belongs to, as the API names it.
  package var accountUUID: String?
  /// Added at ingest from the user's databases, feeds and lookups (empty without them).
  package var enrichment = Enrichment()
  package var raw: [UInt8]

  package init(account: String, stream: EventStream, uuid: String, time: Timestamp, ingestedAt: Timestamp, raw: [UInt8])
  {
    self.account = account
    self.stream = stream
    self.uuid = uuid
    self.time = time
    self.ingestedAt = ingestedAt
    self.raw = raw
  }
}

/// Whether what the event records worked.
package enum Outcome: String, Hashable, Sendable, CaseIterable {
  case success, failure
}

package struct Person: Hashable, Sendable {
  package var id: String?
  package var email: String?
  package var name: String?
  /// v2: `user`, `external_user`, `service_account`, …
  package var type: String?
  /// v2 (MSP): the account the person belongs to.
  package var accountUUID: String?
  package init() {}
}

package struct AuditObject: Hashable, Sendable {
  package var type: String?
  package var id: String?
  package var email: String?
  package var name: String?
  package init() {}
}

package struct AuxObject: Hashable, Sendable {
  package var id: Int?
  package var uuid: String?
  package var email: String?
  package var name: String?
  package var info: String?
  package init() {}
}

package struct Geo: Hashable, Sendable {
  package var countryCode: String?
  package var countryName: String?
  package var region: String?
  package var city: String?
  package var latitude: Double?
  package var longitude: Double?
  package init() {}

  /// A coordinate pair worth keeping: both present, finite and on the globe. One ±1e308 from the API
  /// or a database would otherwise turn the map rollups' sums into infinity and stop the stream's
  /// commits for good.
  package static func validCoordinates(latitude: Double?, longitude: Double?) -> (Double, Double)? {
    guard let latitude, let longitude, latitude.isFinite, longitude.isFinite, abs(latitude) <= 90,
      abs(longitude) <= 180
    else { return nil }
    return (latitude, longitude)
  }
}

package struct Client: Hashable, Sendable {
  package var app: String?
  package var appVersion: String?
  package var platform: String?
  package var platformVersion: String?
  package var os: String?
  package var osVersion: String?
  package init() {}
}

package struct Session: Hashable, Sendable {
  package var id: String?
  package var loginTime: Timestamp?
  package var deviceID: String?
  package init() {}
}
