import ArgumentParser
import Logging
import VigilRuntime

/// `--log-level`, shared by the commands that run services.
struct LoggingOptions: ParsableArguments {
  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel: Logger.Level = .info

  func bootstrap(label: String) -> Logger {
    let level = logLevel
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    return Logger(label: label)
  }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
