import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON

/// OCSF 1.3 events: the class and activity from ``OCSFClassification``, severity from
/// ``OCSFSeverity``, the acting user as `user` (sign-ins) or `actor.user`, the address and location as
/// `src_endpoint`, threat matches as `enrichments`, and what OCSF has no attribute for under `unmapped`.
package struct OCSFEncoder: JSONLineEncoder {
  package static let version = "1.3.0"

  package init() {}

  package func document(_ event: CanonicalEvent) -> JSONTree {
    let kind = OCSFClassification.of(event)
    let severity = OCSFSeverity.of(event)
    var doc = JSONTree()
    doc.set("category_uid", OCSFClassification.categoryUID)
    doc.set("category_name", OCSFClassification.categoryName)
    doc.set("class_uid", kind.classUID)
    doc.set("class_name", kind.className)
    doc.set("activity_id", kind.activityID)
    doc.set("activity_name", kind.activityName)
    doc.set("type_uid", kind.typeUID)
    doc.set("type_name", kind.typeName)
    doc.set("severity_id", severity.rawValue)
    doc.set("severity", severity.name)
    doc.set("time", Self.milliseconds(event.time))
    switch event.outcome {
    case .success?:
      doc.set("status_id", 1)
      doc.set("status", "Success")
    case .failure?:
      doc.set("status_id", 2)
      doc.set("status", "Failure")
    case nil:
      doc.set("status_id", 0)
      doc.set("status", "Unknown")
    }
    doc.set("status_detail", event.type)
    doc.set("message", Self.message(event))
    setMetadata(event, in: &doc)
    let person = Self.user(
      id: event.user.id, email: event.user.email, name: event.user.name, type: event.user.type,
      account: event.user.accountUUID)
    switch event.stream {
    case .signInAttempts:
      doc.set("user", person)
      doc.set("user.org.ou_name", event.enrichment.userDepartment)
      doc.set("session.uid", event.session.id)
      if event.type == "mfa_ok" { doc.set("is_mfa", true) }
      doc.set("service.name", "1Password")
    case .itemUsages, .auditEvents:
      doc.set("actor.user", person)
      doc.set("actor.user.org.ou_name", event.enrichment.userDepartment)
      doc.set("actor.session.uid", event.session.id)
      doc.set("actor.session.created_time", event.session.loginTime.map(Self.milliseconds))
    }
    setObject(event, kind: kind, in: &doc)
    setEndpoint(event, in: &doc)
    setEnrichments(event, in: &doc)
    setUnmapped(event, in: &doc)
    return doc
  }

  private func setMetadata(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("metadata.version", Self.version)
    doc.set("metadata.product.name", "1Password Events API")
    doc.set("metadata.product.vendor_name", "1Password")
    doc.set("metadata.product.feature.name", event.stream.rawValue)
    doc.set("metadata.uid", event.uuid)
    doc.set("metadata.log_name", event.stream.rawValue)
    doc.set("metadata.event_code", event.action)
    doc.set("metadata.original_time", event.time.rfc3339)
    doc.set("metadata.logged_time", Self.milliseconds(event.ingestedAt))
    doc.set("metadata.tenant_uid", event.accountUUID)
  }

  /// What the event acted on, where its class has an attribute for it.
  private func setObject(_ event: CanonicalEvent, kind: OCSFClassification, in doc: inout JSONTree) {
    switch kind.classUID {
    case 3001:
      doc.set("user", Self.user(id: event.target.id, email: event.target.email, name: event.target.name))
    case 3005, 3006:
      doc.set("user", Self.user(id: event.aux.uuid, email: event.aux.email, name: event.aux.name))
      if kind.classUID == 3006 {
        doc.set("group.uid", event.target.id)
      } else {
        doc.set("resources", JSONTree.Node.array([.object(Self.resource(event))]))
      }
    default:
      if event.stream == .itemUsages {
        doc.set("entity.uid", event.itemID)
        doc.set("entity.name", event.enrichment.itemTitle)
        doc.set("entity.type", "item")
        doc.set("entity.version", event.itemVersion.map(String.init))
      } else {
        doc.set("entity.uid", event.target.id)
        doc.set("entity.type", event.target.type)
        doc.set("entity.name", event.target.type == "item" ? event.enrichment.itemTitle : event.enrichment.vaultName)
      }
    }
  }

  private static func resource(_ event: CanonicalEvent) -> JSONTree {
    var resource = JSONTree()
    resource.set("uid", event.target.id)
    resource.set("type", "vault")
    resource.set("name", event.enrichment.vaultName)
    return resource
  }

  private func setEndpoint(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("src_endpoint.ip", event.sourceIP)
    doc.set("src_endpoint.zone", event.enrichment.network)
    doc.set("src_endpoint.location.country", event.geo.countryCode)
    doc.set("src_endpoint.location.region", event.geo.region)
    doc.set("src_endpoint.location.city", event.geo.city)
    doc.set("src_endpoint.location.lat", event.geo.latitude)
    doc.set("src_endpoint.location.long", event.geo.longitude)
    let place = [event.geo.city, event.geo.region, event.geo.countryName].compactMap { $0 }
    doc.set("src_endpoint.location.desc", place.isEmpty ? nil : place.joined(separator: ", "))
    doc.set("src_endpoint.autonomous_system.number", event.enrichment.asNumber)
    doc.set("src_endpoint.autonomous_system.name", event.enrichment.asOrganization)
    doc.set("src_endpoint.os.name", event.client.os)
    doc.set("src_endpoint.os.version", event.client.osVersion)
    if event.client.app != nil {
      var agent = JSONTree()
      agent.set("name", event.client.app)
      agent.set("version", event.client.appVersion)
      doc.set("src_endpoint.agent_list", JSONTree.Node.array([.object(agent)]))
    }
  }

  private func setEnrichments(_ event: CanonicalEvent, in doc: inout JSONTree) {
    guard let threat = event.enrichment.threat, let sourceIP = event.sourceIP else { return }
    let entries: [JSONTree.Node] = threat.feeds.enumerated().map { position, feed in
      var entry = JSONTree()
      entry.set("name", "src_endpoint.ip")
      entry.set("value", sourceIP)
      entry.set("type", "threat_intel")
      entry.set("provider", feed)
      if position == 0 {
        entry.set("data.indicator", threat.indicator)
        entry.set("data.category", threat.category)
        entry.set("data.confidence", threat.confidence)
      }
      return .object(entry)
    }
    doc.set("enrichments", JSONTree.Node.array(entries))
  }

  private func setUnmapped(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("unmapped.account", event.account)
    doc.set("unmapped.details", event.details)
    doc.set("unmapped.client.platform_name", event.client.platform)
    doc.set("unmapped.client.platform_version", event.client.platformVersion)
    doc.set("unmapped.vault_uuid", event.vaultID)
    doc.set("unmapped.vault_name", event.enrichment.vaultName)
    doc.set("unmapped.object_type", event.stream == .auditEvents ? event.target.type : nil)
    doc.set("unmapped.aux_id", event.aux.id)
    doc.set("unmapped.aux_info", event.aux.info)
    doc.set("unmapped.device_uuid", event.session.deviceID)
    doc.set("unmapped.user_manager", event.enrichment.userManager)
    doc.set("unmapped.geo_source", event.enrichment.geoSource?.rawValue)
  }

  /// An OCSF User object; nil when nothing is known.
  private static func user(
    id: String?, email: String?, name: String?, type: String? = nil, account: String? = nil
  ) -> JSONTree.Node? {
    var user = JSONTree()
    user.set("uid", id)
    user.set("email_addr", email)
    user.set("name", name)
    user.set("type", type)
    user.set("account.uid", account)
    return user.isEmpty ? nil : .object(user)
  }

  /// A one-line summary for consoles that show `message`.
  static func message(_ event: CanonicalEvent) -> String {
    let who = event.user.email ?? event.user.name ?? event.user.id ?? "unknown user"
    switch event.stream {
    case .signInAttempts:
      return "Sign-in by \(who): \(event.action ?? "unknown")" + (event.type.map { " (\($0))" } ?? "")
    case .itemUsages:
      return "Item \(event.itemID ?? "?") used by \(who): \(event.action ?? "unknown")"
    case .auditEvents:
      return "\(who) did \(event.action ?? "unknown") on \(event.target.type ?? "object") \(event.target.id ?? "")"
        .trimmingSuffixSpace
    }
  }

  static func milliseconds(_ time: Timestamp) -> Int64 {
    time.seconds &* 1000 &+ Int64(time.nanoseconds / 1_000_000)
  }
}

extension String {
  fileprivate var trimmingSuffixSpace: String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
