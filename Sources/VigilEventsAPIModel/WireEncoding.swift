import VigilBase
import VigilJSON

/// Encodes wire types as the API sends them. v2 adds the MSP fields. v1 speaks the published 1.2.0
/// schema exactly: v2-only fields are left out, absent objects are omitted rather than null, and enum
/// values introduced after 1.2.0 are omitted (except `u2f_timeout`, sent in its 1.2.0 spelling
/// `u2f_timout`); v2 carries them all.
package struct WireEncoder: Sendable {
  package var version: APIVersion
  /// v2 only: write `"details": null` for sign-ins without details, as real data does.
  package var nullDetails: Bool

  package init(version: APIVersion, nullDetails: Bool = false) {
    self.version = version
    self.nullDetails = nullDetails
  }

  private var isV2: Bool { version == .v2 }

  private func enumValue<E: OpenEnum>(_ value: E?, specV1: [E]) -> String? {
    guard let value else { return nil }
    if isV2 || specV1.contains(value) { return value.rawValue }
    return nil
  }

  package func encode(_ event: WireEvent, into writer: inout JSONWriter) {
    switch event {
    case .signInAttempt(let event): encode(event, into: &writer)
    case .itemUsage(let event): encode(event, into: &writer)
    case .auditEvent(let event): encode(event, into: &writer)
    }
  }

  package func encode(_ event: SignInAttempt, into writer: inout JSONWriter) {
    writer.beginObject()
    writer.field("uuid", event.uuid)
    writer.field("session_uuid", event.sessionUUID)
    writer.field("timestamp", event.timestamp?.rfc3339)
    writer.field("category", enumValue(event.category, specV1: SignInCategory.known))
    var type = event.type
    if !isV2, type?.isU2FTimeout == true { type = "u2f_timout" }
    writer.field("type", enumValue(type, specV1: SignInType.specV1))
    writer.field("country", event.country)
    if let value = event.detailsValue {
      writer.key("details")
      writer.beginObject()
      writer.field("value", value)
      writer.endObject()
    } else if isV2 && nullDetails {
      writer.key("details")
      writer.null()
    }
    user("target_user", event.targetUser, into: &writer)
    client(event.client, into: &writer)
    location(event.location, into: &writer)
    if isV2 { writer.field("account_uuid", event.accountUUID) }
    writer.endObject()
  }

  package func encode(_ event: ItemUsage, into writer: inout JSONWriter) {
    writer.beginObject()
    writer.field("uuid", event.uuid)
    writer.field("timestamp", event.timestamp?.rfc3339)
    writer.field("used_version", event.usedVersion)
    writer.field("vault_uuid", event.vaultUUID)
    writer.field("item_uuid", event.itemUUID)
    user("user", event.user, into: &writer)
    client(event.client, into: &writer)
    location(event.location, into: &writer)
    writer.field("action", enumValue(event.action, specV1: ItemUsageAction.specV1))
    if isV2 { writer.field("account_uuid", event.accountUUID) }
    writer.endObject()
  }

  package func encode(_ event: AuditEvent, into writer: inout JSONWriter) {
    writer.beginObject()
    writer.field("uuid", event.uuid)
    writer.field("timestamp", event.timestamp?.rfc3339)
    writer.field("actor_uuid", event.actorUUID)
    user("actor_details", event.actorDetails, into: &writer)
    if isV2 {
      writer.field("actor_type", event.actorType)
      writer.field("actor_account_uuid", event.actorAccountUUID)
      writer.field("account_uuid", event.accountUUID)
    }
    writer.field("action", enumValue(event.action, specV1: AuditAction.specV1))
    writer.field("object_type", enumValue(event.objectType, specV1: AuditObjectType.specV1))
    writer.field("object_uuid", event.objectUUID)
    user("object_details", event.objectDetails, into: &writer)
    writer.field("aux_id", event.auxID)
    writer.field("aux_uuid", event.auxUUID)
    user("aux_details", event.auxDetails, into: &writer)
    writer.field("aux_info", event.auxInfo)
    if let session = event.session {
      writer.key("session")
      writer.beginObject()
      writer.field("uuid", session.uuid)
      writer.field("login_time", session.loginTime?.rfc3339)
      writer.field("device_uuid", session.deviceUUID)
      writer.field("ip", session.ip)
      writer.endObject()
    }
    location(event.location, into: &writer)
    writer.endObject()
  }

  private func user(_ key: String, _ user: WireUser?, into writer: inout JSONWriter) {
    guard let user else { return }
    writer.key(key)
    writer.beginObject()
    writer.field("uuid", user.uuid)
    writer.field("name", user.name)
    writer.field("email", user.email)
    if isV2 {
      writer.field("user_type", user.userType)
      writer.field("user_account_uuid", user.userAccountUUID)
    }
    writer.endObject()
  }

  private func client(_ client: WireClient?, into writer: inout JSONWriter) {
    guard let client else { return }
    writer.key("client")
    writer.beginObject()
    writer.field("app_name", client.appName)
    writer.field("app_version", client.appVersion)
    writer.field("platform_name", client.platformName)
    writer.field("platform_version", client.platformVersion)
    writer.field("os_name", client.osName)
    writer.field("os_version", client.osVersion)
    writer.field("ip_address", client.ipAddress)
    writer.endObject()
  }

  private func location(_ location: WireLocation?, into writer: inout JSONWriter) {
    guard let location else { return }
    writer.key("location")
    writer.beginObject()
    writer.field("country", location.country)
    writer.field("region", location.region)
    writer.field("city", location.city)
    writer.field("latitude", location.latitude)
    writer.field("longitude", location.longitude)
    writer.endObject()
  }
}
