import Foundation
import VigilRuntime

/// Writes one line to standard output at once, unbuffered, so that scripts and supervisors reading a
/// pipe see it immediately (`print` is block-buffered on pipes).
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
