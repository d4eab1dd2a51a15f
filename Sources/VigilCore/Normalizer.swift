import VigilBase
import VigilEventsAPIModel
import VigilJSON

/// Turns what the API sent into a ``CanonicalEvent``: one mapping per stream, field by field from the
/// typed wire view, with the raw bytes kept verbatim. Pure and deterministic, so a stored event can be
/// normalized again from its raw JSON and give the same result.
package enum Normalizer {
  /// Why an item cannot be kept: without a uuid it has no identity to deduplicate on.
  package enum Rejection: Error, Hashable, Sendable {
    case missingUUID
  }

  package static func normalize(_ received: ReceivedEvent, account: String, ingestedAt: Timestamp) throws(Rejection)
    -> CanonicalEvent
  {
    guard let uuid = received.event.uuid, !uuid.isEmpty else { throw .missingUUID }
    var event = CanonicalEvent(
      account: account, stream: received.event.stream, uuid: uuid, time: received.event.timestamp ?? ingestedAt,
      ingestedAt: ingestedAt, raw: received.raw)
    switch received.event {
    case .signInAttempt(let wire): apply(wire, to: &event)
    case .itemUsage(let wire): apply(wire, to: &event)
    case .auditEvent(let wire): apply(wire, to: &event)
    }
    return event
  }

  private static func apply(_ wire: SignInAttempt, to event: inout CanonicalEvent) {
    if let category = wire.category {
      event.action = category.rawValue
      // Peers count these two as success and everything else as failure; a category 1Password adds
      // later is left without an outcome rather than guessed.
      event.outcome = category.isSuccess ? .success : category.isKnown ? .failure : nil
    }
    event.type = wire.type?.rawValue
    event.user = person(wire.targetUser)
    applyClient(wire.client, to: &event)
    event.geo = geo(wire.location, fallbackCountry: wire.country)
    event.session.id = wire.sessionUUID
    event.details = wire.detailsValue
    event.accountUUID = wire.accountUUID
  }

  private static func apply(_ wire: ItemUsage, to event: inout CanonicalEvent) {
    event.action = wire.action?.rawValue
    // An item usage records something that was done.
    event.outcome = .success
    event.user = person(wire.user)
    applyClient(wire.client, to: &event)
    event.geo = geo(wire.location, fallbackCountry: nil)
    event.vaultID = wire.vaultUUID
    event.itemID = wire.itemUUID
    event.itemVersion = wire.usedVersion
    event.accountUUID = wire.accountUUID
  }

  private static func apply(_ wire: AuditEvent, to event: inout CanonicalEvent) {
    event.action = wire.action?.rawValue
    // An audit event records a change that took place.
    event.outcome = .success
    var actor = person(wire.actorDetails)
    actor.id = wire.actorUUID ?? actor.id
    actor.type = wire.actorType
    actor.accountUUID = wire.actorAccountUUID
    event.user = actor
    event.target.type = wire.objectType?.rawValue
    event.target.id = wire.objectUUID
    event.target.email = wire.objectDetails?.email
    event.target.name = wire.objectDetails?.name
    event.aux.id = wire.auxID
    event.aux.uuid = wire.auxUUID
    event.aux.email = wire.auxDetails?.email
    event.aux.name = wire.auxDetails?.name
    event.aux.info = wire.auxInfo
    event.sourceIP = wire.session?.ip
    event.session.id = wire.session?.uuid
    event.session.loginTime = wire.session?.loginTime
    event.session.deviceID = wire.session?.deviceUUID
    event.geo = geo(wire.location, fallbackCountry: nil)
    event.accountUUID = wire.accountUUID
    // Object and vault: a vault-scoped object names the vault it is about.
    if wire.objectType == "vault" || wire.objectType == "uva" || wire.objectType == "gva" {
      event.vaultID = wire.objectUUID
    } else if wire.objectType == "item" {
      event.itemID = wire.objectUUID
    }
  }

  private static func person(_ wire: WireUser?) -> Person {
    var person = Person()
    guard let wire else { return person }
    person.id = wire.uuid
    person.email = wire.email
    person.name = wire.name
    person.type = wire.userType
    person.accountUUID = wire.userAccountUUID
    return person
  }

  private static func applyClient(_ wire: WireClient?, to event: inout CanonicalEvent) {
    guard let wire else { return }
    event.client.app = wire.appName
    event.client.appVersion = wire.appVersion
    event.client.platform = wire.platformName
    event.client.platformVersion = wire.platformVersion
    event.client.os = wire.osName
    event.client.osVersion = wire.osVersion
    event.sourceIP = wire.ipAddress
  }

  /// The location's fields, with the country (code or full name) resolved to both forms. A sign-in's
  /// top-level `country` fills in when there is no location.
  private static func geo(_ wire: WireLocation?, fallbackCountry: String?) -> Geo {
    var geo = Geo()
    if let country = (wire?.country ?? fallbackCountry).flatMap(Country.resolve) {
      geo.countryCode = country.code.isEmpty ? nil : country.code
      geo.countryName = country.name
    }
    geo.region = wire?.region
    geo.city = wire?.city
    if let (latitude, longitude) = Geo.validCoordinates(latitude: wire?.latitude, longitude: wire?.longitude) {
      geo.latitude = latitude
      geo.longitude = longitude
    }
    return geo
  }
}

extension Normalizer {
  /// Normalizes a stored event again from its raw JSON: the store keeps the raw bytes, and the
  /// canonical event is a pure function of them.
  package static func normalize(
    raw: [UInt8], account: String, stream: EventStream, ingestedAt: Timestamp
  ) -> CanonicalEvent? {
    guard let document = try? JSONDocument(bytes: raw), let wire = WireEvent(stream: stream, json: document.root) else {
      return nil
    }
    return try? normalize(ReceivedEvent(event: wire, raw: raw), account: account, ingestedAt: ingestedAt)
  }
}
