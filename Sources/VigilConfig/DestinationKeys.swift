import VigilBase
import VigilYAML
import Yams

/// Keys every outbound destination (notifiers, sinks) reads the same way.
extension NodeReader {
  /// A secret given as `BASE_file` (a file holding it, relative to the configuration's folder) or
  /// `BASE_env` (an environment variable), never inline: `.some(nil)` when neither is given and it is
  /// optional; nil after a problem, which is reported naming `owner` ("sink splunk").
  mutating func secretLocation(
    _ base: String, keys: [String: Node], at node: Node, owner: String, required: Bool, directory: String
  ) -> SecretLocation?? {
    let file = keys["\(base)_file"].flatMap { string($0, key: "\(base)_file") }
    let variable = keys["\(base)_env"].flatMap { string($0, key: "\(base)_env") }
    switch (file, variable) {
    case (let path?, nil): return .some(.file(ConfigLoader.resolve(path, in: directory)))
    case (nil, let name?): return .some(.environment(name))
    case (.some, .some):
      report(node, "\(owner) has both \(base)_file and \(base)_env; keep one")
      return nil
    case (nil, nil):
      if required {
        report(node, "\(owner) needs \(base)_file (a file holding it) or \(base)_env")
        return nil
      }
      return .some(nil)
    }
  }

  /// A destination's http(s) URL: plain http only to this host (``URLPolicy``); a refused URL is
  /// reported without its credentials.
  mutating func destinationURL(_ value: Node, key: String) -> String? {
    guard let text = string(value, key: key) else { return nil }
    guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
      report(value, "\(key) must start with https://")
      return nil
    }
    if let refusal = URLPolicy.refusal(text, allowInsecureHTTP: false) {
      report(value, "\(key) \(URLText.withoutCredentials(text)): \(refusal)")
      return nil
    }
    return text
  }
}
