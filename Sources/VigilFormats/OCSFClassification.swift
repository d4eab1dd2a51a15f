import VigilCore
import VigilEventsAPIModel

/// Which OCSF 1.3 class and activity an event is. Every class used is in the Identity & Access
/// Management category (3):
/// - sign-ins → Authentication (3002), activity Logon;
/// - audit events on users → Account Change (3001); on groups and memberships → Group Management (3006);
///   on vault access → User Access Management (3005); on anything else → Entity Management (3004);
/// - item usages → Entity Management (3004): an item is a managed secret the actor read, changed or
///   created. OCSF has no class for access to a secret; File System Activity would claim a file system
///   and Datastore Activity a database, while Entity Management carries the item as `entity` with its
///   version and the actor, which is what an item usage records.
package struct OCSFClassification: Hashable, Sendable {
  package var classUID: Int
  package var className: String
  package var activityID: Int
  package var activityName: String

  package static let categoryUID = 3
  package static let categoryName = "Identity & Access Management"

  package var typeUID: Int { classUID * 100 + activityID }
  package var typeName: String { "\(className): \(activityName)" }

  package static func of(_ event: CanonicalEvent) -> OCSFClassification {
    switch event.stream {
    case .signInAttempts: authentication
    case .itemUsages: itemUsage(event.action)
    case .auditEvents: audit(action: event.action ?? "", object: event.target.type ?? "")
    }
  }

  static let authentication = OCSFClassification(
    classUID: 3002, className: "Authentication", activityID: 1, activityName: "Logon")

  static func itemUsage(_ action: String?) -> OCSFClassification {
    let activity: (Int, String) =
      switch action {
      case "server-create": (1, "Create")
      case "server-update", "enter-item-edit-mode": (3, "Update")
      case "fill", "reveal", "secure-copy", "server-fetch", "select-sso-provider": (2, "Read")
      case "export": (99, "Export")
      case "share": (99, "Share")
      default: (99, "Other")
      }
    return entity(activity)
  }

  static func audit(action: String, object: String) -> OCSFClassification {
    switch object {
    case "user":
      let activity: (Int, String) =
        switch action {
        case "create", "provsn": (1, "Create")
        case "activate", "reactive": (2, "Enable")
        case "changemp": (3, "Password Change")
        case "begin", "complete", "beginr", "completr": (4, "Password Reset")
        case "suspend": (5, "Disable")
        case "delete": (6, "Delete")
        case "enblmfa": (10, "MFA Factor Enable")
        case "disblmfa": (11, "MFA Factor Disable")
        default: (99, "Other")
        }
      return OCSFClassification(
        classUID: 3001, className: "Account Change", activityID: activity.0, activityName: activity.1)
    case "group", "gm":
      let activity: (Int, String) =
        switch (object, action) {
        case ("gm", "join"): (3, "Add User")
        case ("gm", "leave"): (4, "Remove User")
        case ("gm", "role"), ("group", "role"): (1, "Assign Privileges")
        case ("group", "create"): (6, "Create")
        case ("group", "delete"), ("group", "purge"): (5, "Delete")
        default: (99, "Other")
        }
      return OCSFClassification(
        classUID: 3006, className: "Group Management", activityID: activity.0, activityName: activity.1)
    case "uva", "gva":
      let activity: (Int, String) =
        switch action {
        case "grant": (1, "Assign Privileges")
        case "revoke": (2, "Revoke Privileges")
        default: (99, "Other")
        }
      return OCSFClassification(
        classUID: 3005, className: "User Access Management", activityID: activity.0, activityName: activity.1)
    default:
      let activity: (Int, String) =
        switch action {
        case "create", "provsn": (1, "Create")
        case "view": (2, "Read")
        case "delete", "purge": (4, "Delete")
        default:
          AuditVocabulary.changes.contains(action) ? (3, "Update") : (99, "Other")
        }
      return entity(activity)
    }
  }

  private static func entity(_ activity: (Int, String)) -> OCSFClassification {
    OCSFClassification(
      classUID: 3004, className: "Entity Management", activityID: activity.0, activityName: activity.1)
  }
}

/// OCSF severity.
package enum OCSFSeverity: Int, Sendable {
  case informational = 1, low, medium, high

  package var name: String {
    switch self {
    case .informational: "Informational"
    case .low: "Low"
    case .medium: "Medium"
    case .high: "High"
    }
  }

  /// Failed sign-ins are Low, firewall blocks and sensitive audit actions Medium, anything from an
  /// address a threat feed lists High; the rest Informational.
  package static func of(_ event: CanonicalEvent) -> OCSFSeverity {
    if event.enrichment.threat != nil { return .high }
    switch event.stream {
    case .signInAttempts:
      if event.action == "firewall_failed" { return .medium }
      return event.outcome == .failure ? .low : .informational
    case .itemUsages:
      return event.action == "export" ? .medium : .informational
    case .auditEvents:
      return event.action.map(AuditVocabulary.sensitive.contains) == true ? .medium : .informational
    }
  }
}
