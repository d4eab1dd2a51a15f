import VigilBase

/// What may reach a terminal.
enum Terminal {
  /// Event fields are attacker-controlled: see ``Printable``.
  static func safe(_ text: String) -> String { Printable.text(text) }
}
