import Foundation
import Testing

@testable import VigilJSON

/// Runs every file of Nicolas Seriot's JSONTestSuite (MIT, copied under Fixtures/JSONTestSuite).
@Suite struct JSONTestSuiteTests {
  /// The decision for each implementation-defined (`i_`) case; docs/json-reader.md explains them.
  static let implementationDefined: [String: Bool] = [
    "i_number_double_huge_neg_exp.json": true,
    "i_number_huge_exp.json": true,
    "i_number_neg_int_huge_exp.json": true,
    "i_number_pos_double_huge_exp.json": true,
    "i_number_real_neg_overflow.json": true,
    "i_number_real_pos_overflow.json": true,
    "i_number_real_underflow.json": true,
    "i_number_too_big_neg_int.json": true,
    "i_number_too_big_pos_int.json": true,
    "i_number_very_big_negative_int.json": true,
    "i_object_key_lone_2nd_surrogate.json": true,
    "i_string_1st_surrogate_but_2nd_missing.json": true,
    "i_string_1st_valid_surrogate_2nd_invalid.json": true,
    "i_string_UTF-16LE_with_BOM.json": false,
    "i_string_UTF-8_invalid_sequence.json": false,
    "i_string_UTF8_surrogate_U+D800.json": false,
    "i_string_incomplete_surrogate_and_escape_valid.json": true,
    "i_string_incomplete_surrogate_pair.json": true,
    "i_string_incomplete_surrogates_escape_valid.json": true,
    "i_string_invalid_lonely_surrogate.json": true,
    "i_string_invalid_surrogate.json": true,
    "i_string_invalid_utf-8.json": false,
    "i_string_inverted_surrogates_U+1D11E.json": true,
    "i_string_iso_latin_1.json": false,
    "i_string_lone_second_surrogate.json": true,
    "i_string_lone_utf8_continuation_byte.json": false,
    "i_string_not_in_unicode_range.json": false,
    "i_string_overlong_sequence_2_bytes.json": false,
    "i_string_overlong_sequence_6_bytes.json": false,
    "i_string_overlong_sequence_6_bytes_null.json": false,
    "i_string_truncated-utf-8.json": false,
    "i_string_utf16BE_no_BOM.json": false,
    "i_string_utf16LE_no_BOM.json": false,
    "i_structure_500_nested_arrays.json": true,
    "i_structure_UTF-8_BOM_empty_object.json": true,
  ]

  static let files: [String] = {
    let directory = Fixtures.directory.appendingPathComponent("JSONTestSuite/test_parsing")
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
  }()

  @Test func suiteIsPresent() {
    #expect(Self.files.filter { $0.hasPrefix("y_") }.count == 95)
    #expect(Self.files.filter { $0.hasPrefix("n_") }.count == 188)
    #expect(Self.files.filter { $0.hasPrefix("i_") }.count == Self.implementationDefined.count)
  }

  @Test(arguments: files)
  func parses(file: String) throws {
    let bytes = try Fixtures.bytes("JSONTestSuite/test_parsing/\(file)")
    let accepted: Bool
    do {
      _ = try JSONDocument(bytes: bytes)
      accepted = true
    } catch {
      accepted = false
    }
    if file.hasPrefix("y_") {
      #expect(accepted, "must accept \(file)")
    } else if file.hasPrefix("n_") {
      #expect(!accepted, "must reject \(file)")
    } else {
      let decision = try #require(Self.implementationDefined[file] as Bool?, "undecided i_ case \(file)")
      #expect(accepted == decision, "\(file): decided \(decision ? "accept" : "reject")")
    }
  }
}
