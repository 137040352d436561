package dev.meshgate.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --log-format} and {@code --log-level} of the commands that log (serve, check): text for
 * people, or one JSON object per line for a log pipeline (Loki, Elasticsearch, CloudWatch, {@code
 * jq}). The flags become the system properties {@code logback.xml} reads, so the environment
 * variables of the same names work for every command, flag or not.
 */
final class LoggingOptions {
  /** The variables {@code logback.xml} reads: system properties first, then the environment. */
  static final String FORMAT_VARIABLE = "MESHGATE_LOG_FORMAT";

  static final String LEVEL_VARIABLE = "MESHGATE_LOG_LEVEL";

  /**
   * The server's own logger: in text mode {@code serve} prints its start and stop lines itself and
   * keeps only the server's warnings; in JSON mode the server's lines are the ones to keep.
   */
  static final String SERVER_LEVEL_VARIABLE = "MESHGATE_SERVER_LOG_LEVEL";

  enum Format {
    text,
    json
  }

  enum Level {
    error,
    warn,
    info,
    debug,
    trace
  }

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "${env:MESHGATE_LOG_FORMAT:-text}",
      description =
          "Log lines on stderr as text (for people) or json (one object per line, with key-values"
              + " such as event, version, group, node) (default: $MESHGATE_LOG_FORMAT, else text;"
              + " now ${DEFAULT-VALUE}).")
  Format format = Format.text;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "${env:MESHGATE_LOG_LEVEL:-info}",
      description =
          "Least severe level logged: error, warn, info, debug (every push and ACK) or trace"
              + " (default: $MESHGATE_LOG_LEVEL, else info; now ${DEFAULT-VALUE}).")
  Level level = Level.info;

  boolean json() {
    return format == Format.json;
  }

  /** Reconfigures logging for this process (before the command logs anything that matters). */
  void apply() {
    apply(format, level);
  }

  static void apply(Format format, Level level) {
    System.setProperty(FORMAT_VARIABLE, format.name());
    System.setProperty(LEVEL_VARIABLE, level.name().toUpperCase(Locale.ROOT));
    String serverLevel =
        format == Format.json || level.compareTo(Level.warn) < 0
            ? level.name().toUpperCase(Locale.ROOT)
            : "WARN";
    System.setProperty(SERVER_LEVEL_VARIABLE, serverLevel);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      try {
        // The usual lookup (logback-test.xml, logback.xml, -Dlogback.configurationFile), again.
        new ContextInitializer(context).autoConfig();
      } catch (JoranException e) {
        throw new IllegalStateException("cannot configure logging: " + e.getMessage(), e);
      }
    }
  }
}
