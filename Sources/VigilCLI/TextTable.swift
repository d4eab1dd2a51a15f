/// A plain aligned table for listings (`vigil rules list`, `vigil detect`); cells are already safe
/// for the terminal.
enum TextTable {
  static func render(header: [String], rows: [[String]]) -> [String] {
    var widths = header.map(\.count)
    for cells in rows {
      for (index, cell) in cells.enumerated() where index < widths.count {
        widths[index] = min(ResultWriter.widestCell, max(widths[index], cell.count))
      }
    }
    return [ResultWriter.tableLine(header, widths)] + rows.map { ResultWriter.tableLine($0, widths) }
  }
}
