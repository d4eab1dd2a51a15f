import Hummingbird
import Logging
import ServiceLifecycle
import VigilEmulatorCore

/// An emulator serving in the background of this process (tests, `vigil demo`): started on a port
/// (0 picks a free one), stopped by `stop()`.
package final class RunningEmulator: Sendable {
  package let engine: EmulatorEngine
  package let port: Int
  package let host: String
  private let task: Task<Void, any Error>

  package var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

  package static func start(engine: EmulatorEngine, host: String = "127.0.0.1", port: Int = 0, logger: Logger? = nil)
    async throws -> RunningEmulator
  {
    var logger = logger ?? Logger(label: "vigil.emulator")
    if logger.logLevel > .warning { logger.logLevel = .warning }
    let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let application = EmulatorServer.makeApplication(engine: engine, host: host, port: port, logger: logger) { port in
      portContinuation.yield(port)
      portContinuation.finish()
    }
    let group = ServiceGroup(
      configuration: .init(services: [.init(service: application)], gracefulShutdownSignals: [], logger: logger))
    let task = Task { try await group.run() }
    var iterator = portStream.makeAsyncIterator()
    guard let bound = await iterator.next() else {
      task.cancel()
      throw EmulatorStartError(host: host, port: port)
    }
    return RunningEmulator(engine: engine, host: host, port: bound, group: group, task: task)
  }

  private let group: ServiceGroup

  private init(engine: EmulatorEngine, host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
    self.engine = engine
    self.group = group
    self.host = host
    self.port = port
    self.task = task
  }

  package func stop() async {
    await group.triggerGracefulShutdown()
    _ = try? await task.value
  }
}

package struct EmulatorStartError: Error, CustomStringConvertible {
  var host: String
  var port: Int
  package var description: String {
    "the emulator could not listen on \(host):\(port): the port may be in use; choose another with --port"
  }
}
