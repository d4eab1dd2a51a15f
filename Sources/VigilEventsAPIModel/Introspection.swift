import VigilBase
import VigilJSON

/// What the introspection endpoints say about a token. v2: `{uuid, issued_at, features, account_uuid}`;
/// the deprecated v1: `{UUID, IssuedAt, Features}`.
package struct Introspection: Hashable, Sendable {
  package var uuid: String?
  package var issuedAt: Timestamp?
  package var features: [String]
  package var accountUUID: String?

  package init(uuid: String?, issuedAt: Timestamp?, features: [String], accountUUID: String?) {
    self.uuid = uuid
    self.issuedAt = issuedAt
    self.features = features
    self.accountUUID = accountUUID
  }

  /// Reads either shape; nil when the body is not a JSON object.
  package init?(body: [UInt8]) {
    guard let document = try? JSONDocument(bytes: body), document.root.kind == .object else { return nil }
    let root = document.root
    uuid = (root["uuid"] ?? root["UUID"])?.string
    issuedAt = (root["issued_at"] ?? root["IssuedAt"])?.string.flatMap(Timestamp.init(rfc3339:))
    features = (root["features"] ?? root["Features"])?.elements.compactMap(\.string) ?? []
    accountUUID = root["account_uuid"]?.string
  }
}
