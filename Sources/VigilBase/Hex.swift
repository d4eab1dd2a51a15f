/// Lower-case hexadecimal: digests, signatures, random identifiers.
package enum Hex {
  private static let digits = Array("0123456789abcdef")

  package static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
    var out = ""
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return out
  }
}
