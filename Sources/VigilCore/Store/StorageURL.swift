/// Where events are kept, from the `storage.url` setting.
package enum StorageURL: Hashable, Sendable, CustomStringConvertible {
  case sqlite(path: String)
  case postgres(url: String)

  /// `sqlite:///abs/path.db`, `sqlite:relative.db`, `sqlite://relative.db`, a bare path, or `postgres://…`.
  package init?(_ text: String) {
    let trimmed = text.trimmingSpaces
    if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
      self = .postgres(url: trimmed)
      return
    }
    var path = trimmed
    if path.hasPrefix("sqlite://") {
      path.removeFirst("sqlite://".count)
    } else if path.hasPrefix("sqlite:") {
      path.removeFirst("sqlite:".count)
    } else if path.contains("://") {
      return nil
    }
    guard !path.isEmpty else { return nil }
    self = .sqlite(path: path)
  }

  package var description: String {
    switch self {
    case .sqlite(let path): "sqlite://\(path)"
    // Never print a password that may be in the URL.
    case .postgres(let url): url.redactingPassword
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var scalars = Substring(self)
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }

  /// `scheme://user:secret@host` → `scheme://user:***@host`.
  var redactingPassword: String {
    let characters = Array(self)
    var start = 0
    while start + 3 <= characters.count, String(characters[start..<start + 3]) != "://" { start += 1 }
    guard start + 3 <= characters.count else { return self }
    let rest = self.dropFirst(start + 3)
    guard let at = rest.lastIndex(of: "@") else { return self }
    let credentials = rest[..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return self }
    return String(self[..<colon]) + ":***" + String(self[at...])
  }
}
