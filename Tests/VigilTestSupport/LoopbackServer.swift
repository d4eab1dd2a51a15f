import Hummingbird
import Logging
import ServiceLifecycle

/// Serves `router` on a free loopback port while `body` runs with that port, then stops the server,
/// also when `body` throws.
package func withLoopbackServer<T>(_ router: Router<BasicRequestContext>, _ body: (Int) async throws -> T)
  async throws -> T
{
  let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
  var logger = Logger(label: "vigil.test.server")
  logger.logLevel = .critical
  let application = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { channel in
      continuation.yield(channel.localAddress?.port ?? 0)
      continuation.finish()
    }, logger: logger)
  let group = ServiceGroup(
    configuration: .init(services: [.init(service: application)], gracefulShutdownSignals: [], logger: logger))
  let task = Task { try await group.run() }
  var iterator = ports.makeAsyncIterator()
  guard let port = await iterator.next() else {
    task.cancel()
    throw FixtureError("the loopback test server did not start")
  }
  let result: Result<T, any Error>
  do { result = .success(try await body(port)) } catch { result = .failure(error) }
  await group.triggerGracefulShutdown()
  _ = try? await task.value
  return try result.get()
}
