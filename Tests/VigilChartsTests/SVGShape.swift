import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses an SVG document as XML (it must be well formed) and lists what it holds: element names in
/// order, every attribute name and value, and the text. Used to show that hostile data stays text.
struct SVGShape {
  var elements: [String] = []
  var attributes: [(element: String, name: String, value: String)] = []
  var text = ""

  struct Malformed: Error { var reason: String }

  init(_ markup: String) throws {
    let collector = Collector()
    let parser = XMLParser(data: Data(markup.utf8))
    parser.delegate = collector
    guard parser.parse() else {
      throw Malformed(reason: parser.parserError.map { "\($0)" } ?? "not XML")
    }
    elements = collector.elements
    attributes = collector.attributes
    text = collector.text
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [(element: String, name: String, value: String)] = []
    var text = ""

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
      attributes attributeDict: [String: String]
    ) {
      elements.append(elementName)
      for (name, value) in attributeDict.sorted(by: { $0.key < $1.key }) {
        attributes.append((elementName, name, value))
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
  }
}
