import PropertyBased
import Testing

@testable import VigilJSON

@Suite struct JSONReaderTests {
  @Test func readsScalarsAndContainers() throws {
    let document = try JSONDocument(#"{"a":1,"b":[true,false,null],"c":"x\ny","d":-2.5e1,"e":{}}"#)
    let root = document.root
    #expect(root.kind == .object)
    #expect(root.count == 5)
    #expect(root["a"]?.int == 1)
    #expect(root["b"]?.elements.map(\.kind) == [.true, .false, .null])
    #expect(root["c"]?.string == "x\ny")
    #expect(root["d"]?.double == -25)
    #expect(root["e"]?.count == 0)
    #expect(root["missing"] == nil)
  }

  @Test func rawBytesAreExactSlices() throws {
    let text = #"{"items":[ {"k": "v" , "n":[1, 2]} ,{"z":"\u00e9"}],"cursor":"c"}"#
    let document = try JSONDocument(text)
    let items = try #require(document.root["items"]).elements.map { String(decoding: $0.rawBytes, as: UTF8.self) }
    #expect(items == [#"{"k": "v" , "n":[1, 2]}"#, #"{"z":"\u00e9"}"#])
  }

  @Test func unescapesSurrogatesAndReplacesLoneOnes() throws {
    #expect(try JSONDocument(#"["\ud834\udd1e"]"#).root.elements.map(\.string).first ?? nil == "𝄞")
    #expect(try JSONDocument(#"["\ud800x"]"#).root.elements.map(\.string).first ?? nil == "\u{FFFD}x")
    #expect(try JSONDocument(#"["\udc00"]"#).root.elements.map(\.string).first ?? nil == "\u{FFFD}")
    #expect(try JSONDocument(#"["\"\\\/\b\f\r\t"]"#).root.elements.map(\.string).first ?? nil == "\"\\/\u{8}\u{C}\r\t")
  }

  @Test func integersOutOfRangeAreNotInts() throws {
    let document = try JSONDocument("[9223372036854775807,9223372036854775808,-9223372036854775808,1.0,1e2]")
    #expect(document.root.elements.map(\.int) == [Int.max, nil, Int.min, nil, nil])
    #expect(try JSONDocument("[1e400]").root.elements.map(\.double).first ?? nil == nil)
  }

  @Test func errorsSayWhere() {
    #expect(throws: JSONError(.unexpectedByte, at: 7)) { try JSONDocument(#"{"a":1 "b":2}"#) }
    #expect(throws: JSONError(.unexpectedEnd, at: 5)) { try JSONDocument(#"{"a":"#) }
    #expect(throws: JSONError(.empty, at: 0)) { try JSONDocument("") }
    #expect(throws: JSONError(.trailingContent, at: 3)) { try JSONDocument("{} x") }
    #expect(JSONError(.invalidUTF8, at: 7).description == "invalid JSON at byte 7: invalid UTF-8")
  }

  /// `[0,0,…]` costs a 20-byte tape node per two input bytes: a cap bounds what a hostile page costs.
  @Test func valueCountIsCapped() throws {
    let zeros = Array(("[" + Array(repeating: "0", count: 1000).joined(separator: ",") + "]").utf8)
    #expect(throws: JSONError(.tooManyValues, at: 1 + 2 * 999)) { try JSONDocument(bytes: zeros, maximumValues: 1000) }
    #expect(try JSONDocument(bytes: zeros, maximumValues: 1001).root.count == 1000)
  }

  @Test func hostileNestingIsRefusedWithoutRecursion() {
    let deep = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
    #expect(throws: JSONError(.tooDeep, at: 1024)) { try JSONDocument(bytes: deep) }
    let balanced = Array(repeating: UInt8(ascii: "["), count: 1024) + Array(repeating: UInt8(ascii: "]"), count: 1024)
    #expect(throws: Never.self) { try JSONDocument(bytes: balanced) }
    let objects = Array(String(repeating: #"{"a":"#, count: 2000).utf8)
    #expect(throws: JSONError.self) { try JSONDocument(bytes: objects) }
  }

  @Test func randomBytesNeverCrash() async {
    await propertyCheck(count: 3000, input: Gen<UInt8>.value(in: 0...255).array(of: 0...64)) { bytes in
      _ = try? JSONDocument(bytes: bytes)
    }
  }

  @Test func mutatedValidDocumentsNeverCrash() async {
    let seed = Array(#"{"uuid":"A","n":[1,2.5,-3e4],"s":"\u00e9\n","o":{"t":true,"f":false,"z":null}}"#.utf8)
    let structural = Array(#"{}[]",:\ 0e-+.tfnu"#.utf8)
    await propertyCheck(count: 3000, input: Gen.int(in: 0...(seed.count - 1)), Gen.int(in: 0...(structural.count - 1)))
    { position, replacement in
      var bytes = seed
      bytes[position] = structural[replacement]
      if let document = try? JSONDocument(bytes: bytes) {
        for value in document.root.members.map(\.1) { _ = (value.string, value.double, value.rawBytes) }
      }
    }
  }

  @Test func writerOutputReadsBackIdentically() async {
    let scalars = Gen<UInt32>.value(in: 0...0x1_0FFF).array(of: 0...40)
    await propertyCheck(count: 500, input: scalars, Gen.int(in: -1_000_000...1_000_000)) { codes, number in
      let text = String(String.UnicodeScalarView(codes.compactMap(Unicode.Scalar.init)))
      var writer = JSONWriter()
      writer.beginObject()
      writer.field("text", text)
      writer.field("number", number)
      writer.key("list")
      writer.beginArray()
      writer.string(text)
      writer.null()
      writer.endArray()
      writer.endObject()
      let document = try? JSONDocument(bytes: writer.bytes)
      #expect(document?.root["text"]?.string == text)
      #expect(document?.root["number"]?.int == number)
      #expect(document?.root["list"].map { Array($0.elements) }?.first?.string == text)
    }
  }
}
