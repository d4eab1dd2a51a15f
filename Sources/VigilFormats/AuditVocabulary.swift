/// What audit action codes and object types mean, for the formats that classify events. Every code
/// here is in the Events API reference (1.4.1); unknown codes fall through to generic classes.
enum AuditVocabulary {
  /// Objects that are identities or memberships (ECS `iam`).
  static let identityObjects: Set<String> = ["user", "group", "gm", "uva", "gva", "invite", "sa", "satoken", "miguser"]

  static let creations: Set<String> = ["create", "provsn", "addgsso", "sendpkg"]
  static let deletions: Set<String> = ["delete", "purge", "delshare", "delgsso", "dealldev", "deolddev", "trevoke"]
  static let changes: Set<String> = [
    "update", "updatea", "patch", "role", "replace", "convert", "trename", "changenm", "changemp", "changeks",
    "changesk", "changela", "updatfw", "updatduo", "updatmfa", "chngpsso", "chngasso", "chngdsso", "enblmfa",
    "disblmfa", "enblsso", "disblsso", "enblduo", "disblduo", "suspend", "reactive", "activate", "grant", "revoke",
    "join", "leave", "hide", "unhide", "upguest",
  ]

  /// ECS `event.type` for an action that changes something.
  static func changeType(_ action: String) -> String? {
    if creations.contains(action) { return "creation" }
    if deletions.contains(action) { return "deletion" }
    if changes.contains(action) { return "change" }
    return nil
  }

  /// Actions a security team wants to see first: they weaken authentication, widen access or move data
  /// out (OCSF severity Medium).
  static let sensitive: Set<String> = [
    "disblmfa", "disblsso", "disblduo", "updatfw", "export", "suspend", "delete", "purge", "role", "grant",
    "begin", "beginr", "dlgsess", "trvlaway", "chngasso", "chngpsso", "ssotknv",
  ]
}
