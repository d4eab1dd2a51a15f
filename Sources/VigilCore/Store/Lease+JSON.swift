import VigilBase
import VigilJSON

extension Lease {
  /// One lease as `vigil status --format json` and `/api/health` show it.
  package func write(into writer: inout JSONWriter) {
    writer.beginObject()
    writer.field("unit", unit)
    writer.field("holder", holder)
    writer.field("epoch", Int(epoch))
    writer.field("acquired_at", acquiredAt.rfc3339)
    writer.field("expires_at", expiresAt.rfc3339)
    writer.field("live", isLive)
    writer.endObject()
  }
}
