import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON

/// Elastic Common Schema 8.11, shaped as Elastic's 1Password integration shapes it (data stream names,
/// categories, `onepassword.*`), so that Elastic's dashboards and a user's saved searches keep
/// working; plus what that integration leaves out: `event.reason`, `user.target.*` and `group.id` for
/// audit objects, `user_agent.*` from the client, enrichment (`source.as.*`, `threat.*`, `network.name`)
/// and Vigil's lookups under `vigil.*`.
package struct ECSEncoder: JSONLineEncoder {
  package static let ecsVersion = "8.11.0"

  package init() {}

  package func document(_ event: CanonicalEvent) -> JSONTree {
    var doc = JSONTree()
    doc.set("@timestamp", event.time.rfc3339)
    doc.set("ecs.version", Self.ecsVersion)
    doc.set("data_stream.type", "logs")
    doc.set("data_stream.dataset", event.stream.elasticDataset)
    doc.set("event.kind", "event")
    doc.set("event.module", "1password")
    doc.set("event.dataset", event.stream.elasticDataset)
    doc.set("event.id", event.uuid)
    doc.set("event.ingested", event.ingestedAt.rfc3339)
    // Elastic's `event.created` is when its agent read the event; Vigil's read and store are one step.
    doc.set("event.created", event.ingestedAt.rfc3339)
    let (categories, types) = Self.categorization(event)
    doc.set("event.category", strings: categories)
    doc.set("event.type", strings: types)
    doc.set("event.action", event.action)
    doc.set("event.outcome", event.outcome?.rawValue)
    doc.set("event.reason", event.type)
    doc.set("organization.name", event.account)
    setUser(event, in: &doc)
    setSource(event, in: &doc)
    setClient(event, in: &doc)
    setOnePassword(event, in: &doc)
    setThreat(event, in: &doc)
    doc.set("vigil.geo.source", event.enrichment.geoSource?.rawValue)
    doc.set("vigil.vault.name", event.enrichment.vaultName)
    doc.set("vigil.item.title", event.enrichment.itemTitle)
    doc.set("vigil.user.department", event.enrichment.userDepartment)
    doc.set("vigil.user.manager", event.enrichment.userManager)
    doc.set("related.ip", strings: event.sourceIP.map { [$0] } ?? [])
    doc.set("related.user", strings: Self.relatedUsers(event))
    return doc
  }

  /// Elastic's categories (sign-ins authentication/info, item usages file/access, audit
  /// configuration/access), with `iam` and a specific type added for audit changes to identities.
  static func categorization(_ event: CanonicalEvent) -> (categories: [String], types: [String]) {
    switch event.stream {
    case .signInAttempts:
      return (["authentication"], ["info"])
    case .itemUsages:
      return (["file"], ["access"])
    case .auditEvents:
      var categories = ["configuration"]
      var types = ["access"]
      if let object = event.target.type, AuditVocabulary.identityObjects.contains(object) {
        categories.append("iam")
        types.append(object == "group" || object == "gm" ? "group" : "user")
      }
      if let change = event.action.flatMap(AuditVocabulary.changeType) { types.append(change) }
      return (categories, types)
    }
  }

  private func setUser(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("user.id", event.user.id)
    doc.set("user.email", event.user.email)
    doc.set("user.full_name", event.user.name)
    // Elastic's pipeline copies the full name to `user.name` on every stream, and its searches and
    // rules use it.
    doc.set("user.name", event.user.name)
    guard event.stream == .auditEvents else { return }
    switch event.target.type {
    case "user":
      setTarget(id: event.target.id, email: event.target.email, name: event.target.name, in: &doc)
    case "group", "gm":
      doc.set("group.id", event.target.id)
      setTarget(id: event.aux.uuid, email: event.aux.email, name: event.aux.name, in: &doc)
    default:
      // Vault access and similar: the auxiliary user is who the change is about.
      if event.aux.email != nil || event.aux.name != nil {
        setTarget(id: event.aux.uuid, email: event.aux.email, name: event.aux.name, in: &doc)
      }
    }
  }

  private func setTarget(id: String?, email: String?, name: String?, in doc: inout JSONTree) {
    doc.set("user.target.id", id)
    doc.set("user.target.email", email)
    doc.set("user.target.full_name", name)
  }

  private func setSource(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("source.ip", event.sourceIP)
    doc.set("source.geo.country_iso_code", event.geo.countryCode)
    doc.set("source.geo.country_name", event.geo.countryName)
    doc.set("source.geo.region_name", event.geo.region)
    doc.set("source.geo.city_name", event.geo.city)
    if let lat = event.geo.latitude, let lon = event.geo.longitude {
      doc.set("source.geo.location.lat", lat)
      doc.set("source.geo.location.lon", lon)
    }
    doc.set("source.as.number", event.enrichment.asNumber)
    doc.set("source.as.organization.name", event.enrichment.asOrganization)
    doc.set("network.name", event.enrichment.network)
  }

  private func setClient(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("host.os.name", event.client.os)
    doc.set("host.os.version", event.client.osVersion)
    doc.set("user_agent.name", event.client.platform)
    doc.set("user_agent.version", event.client.platformVersion)
    doc.set("user_agent.os.name", event.client.os)
    doc.set("user_agent.os.version", event.client.osVersion)
  }

  private func setOnePassword(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("onepassword.uuid", event.uuid)
    doc.set("onepassword.account_uuid", event.accountUUID)
    switch event.stream {
    case .signInAttempts:
      doc.set("onepassword.session_uuid", event.session.id)
      doc.set("onepassword.type", event.type)
      doc.set("onepassword.country", event.geo.countryCode ?? event.geo.countryName)
      doc.set("onepassword.details.value", event.details)
      doc.set("onepassword.user_type", event.user.type)
      doc.set("onepassword.user_account_uuid", event.user.accountUUID)
      setOnePasswordClient(event, in: &doc)
    case .itemUsages:
      doc.set("onepassword.used_version", event.itemVersion)
      doc.set("onepassword.vault_uuid", event.vaultID)
      doc.set("onepassword.item_uuid", event.itemID)
      doc.set("onepassword.user_type", event.user.type)
      doc.set("onepassword.user_account_uuid", event.user.accountUUID)
      setOnePasswordClient(event, in: &doc)
    case .auditEvents:
      doc.set("onepassword.actor_uuid", event.user.id)
      doc.set("onepassword.actor_details.uuid", event.user.id)
      doc.set("onepassword.actor_details.name", event.user.name)
      doc.set("onepassword.actor_details.email", event.user.email)
      doc.set("onepassword.actor_type", event.user.type)
      doc.set("onepassword.actor_account_uuid", event.user.accountUUID)
      doc.set("onepassword.object_type", event.target.type)
      doc.set("onepassword.object_uuid", event.target.id)
      doc.set("onepassword.object_details.email", event.target.email)
      doc.set("onepassword.object_details.name", event.target.name)
      doc.set("onepassword.aux_id", event.aux.id)
      doc.set("onepassword.aux_uuid", event.aux.uuid)
      doc.set("onepassword.aux_details.email", event.aux.email)
      doc.set("onepassword.aux_details.name", event.aux.name)
      doc.set("onepassword.aux_info", event.aux.info)
      doc.set("onepassword.session.uuid", event.session.id)
      doc.set("onepassword.session.login_time", event.session.loginTime?.rfc3339)
      doc.set("onepassword.session.device_uuid", event.session.deviceID)
    }
  }

  private func setOnePasswordClient(_ event: CanonicalEvent, in doc: inout JSONTree) {
    doc.set("onepassword.client.app_name", event.client.app)
    doc.set("onepassword.client.app_version", event.client.appVersion)
    doc.set("onepassword.client.platform_name", event.client.platform)
    doc.set("onepassword.client.platform_version", event.client.platformVersion)
  }

  private func setThreat(_ event: CanonicalEvent, in doc: inout JSONTree) {
    guard let threat = event.enrichment.threat, let feed = threat.feeds.first else { return }
    doc.set("threat.feed.name", feed)
    var enrichment = JSONTree()
    enrichment.set("indicator.provider", feed)
    if IPAddress(threat.indicator) != nil {
      enrichment.set("indicator.ip", threat.indicator)
      enrichment.set("indicator.type", threat.indicator.contains(":") ? "ipv6-addr" : "ipv4-addr")
    } else {
      enrichment.set("indicator.name", threat.indicator)
    }
    enrichment.set("indicator.description", threat.category)
    enrichment.set("indicator.confidence", threat.confidence.map(Self.confidenceLabel))
    enrichment.set("matched.atomic", event.sourceIP)
    enrichment.set("matched.field", "source.ip")
    enrichment.set("matched.type", "indicator_match_rule")
    doc.set("threat.enrichments", JSONTree.Node.array([.object(enrichment)]))
    doc.set("vigil.threat.feeds", strings: threat.feeds)
    doc.set("vigil.threat.confidence", threat.confidence)
  }

  /// ECS's confidence scale for a 0–100 score.
  static func confidenceLabel(_ score: Int) -> String {
    switch score {
    case ..<1: "None"
    case ..<30: "Low"
    case ..<70: "Medium"
    default: "High"
    }
  }

  /// As Elastic's pipeline fills `related.user`: sign-ins and item usages add the user's uuid, email
  /// and name; audit events the actor's name and uuid, then the object's uuid when it is a user, or
  /// the auxiliary uuid when the object is a group membership, device or user-vault access. Never an
  /// email for audit events. Exact duplicates are skipped.
  static func relatedUsers(_ event: CanonicalEvent) -> [String] {
    let candidates: [String?]
    switch event.stream {
    case .signInAttempts, .itemUsages:
      candidates = [event.user.id, event.user.email, event.user.name]
    case .auditEvents:
      let object = event.target.type
      candidates = [
        event.user.name, event.user.id, object == "user" ? event.target.id : nil,
        ["gm", "device", "uva"].contains(object ?? "") ? event.aux.uuid : nil,
      ]
    }
    var users: [String] = []
    for candidate in candidates {
      if let candidate, !candidate.isEmpty, !users.contains(candidate) { users.append(candidate) }
    }
    return users
  }
}

extension EventStream {
  /// Elastic's data-stream dataset for the stream.
  package var elasticDataset: String {
    switch self {
    case .signInAttempts: "1password.signin_attempts"
    case .itemUsages: "1password.item_usages"
    case .auditEvents: "1password.audit_events"
    }
  }
}
