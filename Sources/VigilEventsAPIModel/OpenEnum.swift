/// A string-valued enumeration that keeps values it does not know: the API adds actions and types
/// without notice, and a collector that drops or rejects them loses events.
package protocol OpenEnum: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
  init(rawValue: String)
  /// The values documented by 1Password.
  static var known: [Self] { get }
}

extension OpenEnum {
  package init(stringLiteral value: String) { self.init(rawValue: value) }
  package var description: String { rawValue }
  package var isKnown: Bool { Self.known.contains(self) }
}

/// `category` of a sign-in attempt.
package struct SignInCategory: OpenEnum {
  package var rawValue: String
  package init(rawValue: String) { self.rawValue = rawValue }

  package static let success: Self = "success"
  package static let credentialsFailed: Self = "credentials_failed"
  package static let mfaFailed: Self = "mfa_failed"
  package static let ssoFailed: Self = "sso_failed"
  package static let modernVersionFailed: Self = "modern_version_failed"
  package static let firewallFailed: Self = "firewall_failed"
  package static let firewallReportedSuccess: Self = "firewall_reported_success"

  package static let known: [Self] = [
    .success, .credentialsFailed, .mfaFailed, .ssoFailed, .modernVersionFailed, .firewallFailed,
    .firewallReportedSuccess,
  ]

  /// Peers count `success` and `firewall_reported_success` as success, everything else as failure.
  package var isSuccess: Bool { self == .success || self == .firewallReportedSuccess }
}

/// `type` of a sign-in attempt.
package struct SignInType: OpenEnum {
  package var rawValue: String
  package init(rawValue: String) { self.rawValue = rawValue }

  /// The spec spells it `u2f_timout`, newer references `u2f_timeout`; both mean the same.
  package var isU2FTimeout: Bool { rawValue == "u2f_timout" || rawValue == "u2f_timeout" }

  /// The 1.2.0 spec's spelling of every type (v1 responses use exactly these).
  package static let specV1: [Self] = [
    "credentials_ok", "mfa_ok", "password_secret_bad", "mfa_missing", "totp_disabled", "totp_bad", "totp_timeout",
    "u2f_disabled", "u2f_bad", "u2f_timout", "duo_disabled", "duo_bad", "duo_timeout", "duo_native_bad",
    "service_account_sso_denied", "non_sso_user", "sso_user_mismatch", "platform_secret_disabled",
    "platform_secret_bad", "platform_secret_proxy", "code_disabled", "code_bad", "code_timeout", "ip_blocked",
    "continent_blocked", "country_blocked", "anonymous_blocked", "all_blocked", "modern_version_missing",
    "modern_version_old",
  ]
  package static let known: [Self] = specV1 + ["u2f_timeout", "federated"]
}

/// `action` of an item usage.
package struct ItemUsageAction: OpenEnum {
  package var rawValue: String
  package init(rawValue: String) { self.rawValue = rawValue }

  package static let specV1: [Self] = [
    "fill", "select-sso-provider", "enter-item-edit-mode", "export", "share", "secure-copy", "reveal",
    "server-create", "server-update", "server-fetch",
  ]
  /// `other` is sent for actions of clients older than 8.4.
  package static let known: [Self] = specV1 + ["other"]
}

/// `action` of an audit event (79 in spec 1.4.1; the first 76 are in the 1.2.0 OpenAPI file).
package struct AuditAction: OpenEnum {
  package var rawValue: String
  package init(rawValue: String) { self.rawValue = rawValue }

  package static let specV1: [Self] = [
    "activate", "update", "delete", "convert", "enblduo", "updatduo", "disblduo", "rdmchild", "detchild", "dlgsess",
    "create", "deolddev", "dealldev", "reauth", "begin", "complete", "propose", "updatfw", "join", "leave", "role",
    "purge", "view", "export", "replace", "grant", "revoke", "share", "delshare", "uisas", "enblmfa", "updatmfa",
    "disblmfa", "musercom", "muserdec", "sendpkg", "resendts", "prsndall", "trename", "tverify", "trevoke",
    "ssotknv", "enblsso", "disblsso", "chngpsso", "chngasso", "chngdsso", "delgsso", "addgsso", "cancel", "hide",
    "unhide", "upguest", "verify", "reactive", "suspend", "beginr", "provsn", "sendts", "unknown", "completr",
    "cancelr", "trvlaway", "trvlback", "changeks", "changemp", "changesk", "changenm", "changela", "tdvcsso",
    "sdvcsso", "patch", "updatea", "vrfydmn", "uvrfydmn", "dvrfydmn",
  ]
  package static let known: [Self] = specV1 + ["expire", "launchi", "unlink"]
}

/// `object_type` of an audit event.
package struct AuditObjectType: OpenEnum {
  package var rawValue: String
  package init(rawValue: String) { self.rawValue = rawValue }

  package static let specV1: [Self] = [
    "account", "user", "device", "group", "gm", "vault", "item", "items", "itemhist", "vaultkey", "template", "uva",
    "gva", "invite", "ec", "miguser", "sso", "sub", "card", "pm", "slackapp", "file", "famchild", "sa", "satoken",
    "dlgdsess", "ssotkn", "report",
  ]
  package static let known: [Self] = specV1 + ["cred", "mngdacc"]
}
