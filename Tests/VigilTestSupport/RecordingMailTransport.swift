import Synchronization
import VigilBase

/// The fast fake of the SMTP seam: keeps every message sent, and fails the first `failures` sends
/// the way a relay that is down would (worth a retry).
package final class RecordingMailTransport: MailTransport {
  private let state: Mutex<(sent: [MailEnvelope], failures: Int, attempts: Int)>

  package init(failures: Int = 0) { state = Mutex(([], failures, 0)) }

  package var sent: [MailEnvelope] { state.withLock { $0.sent } }
  package var attempts: Int { state.withLock { $0.attempts } }

  package func send(_ mail: MailEnvelope) async throws(DeliveryFailure) {
    let failed = state.withLock { state -> Bool in
      state.attempts += 1
      if state.failures > 0 {
        state.failures -= 1
        return true
      }
      state.sent.append(mail)
      return false
    }
    if failed { throw DeliveryFailure("cannot connect to relay.test:587: connection refused; will retry") }
  }
}
