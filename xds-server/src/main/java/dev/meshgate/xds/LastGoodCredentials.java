package dev.meshgate.xds;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The read-parse-keep-last-good loop that api keys and basic-auth users share: a credentials file
 * (or Secret) that cannot be read or does not parse keeps the last good credentials in service and
 * is logged once per distinct problem; one that never could be read yields none, so the routes that
 * need it answer 401 (fail closed). Log lines name the source and line, never a credential.
 * Confined to the publisher thread.
 *
 * @param <T> one credential (an api key, an htpasswd user)
 */
final class LastGoodCredentials<T> {

  /** The lines of a credentials file, or of a Secret in the same shape. */
  interface Lines {
    List<String> read() throws IOException;
  }

  /** Parses a source's lines; a malformed line throws IllegalArgumentException saying where. */
  interface Parser<T> {
    List<T> parse(String source, List<String> lines);
  }

  /**
   * How the log lines name things, e.g. subject "api keys of", noun "keys", keeping "keeping the
   * last good keys", none "no key is accepted until it can be read".
   */
  record Wording(String subject, String noun, String keeping, String none) {}

  private final Logger log;
  private final Parser<T> parser;
  private final Wording wording;

  /** Last good credentials by source, and the problem last logged for a source. */
  private final Map<String, List<T>> lastGood = new HashMap<>();

  private final Map<String, String> failing = new HashMap<>();

  LastGoodCredentials(Logger log, Parser<T> parser, Wording wording) {
    this.log = log;
    this.parser = parser;
    this.wording = wording;
  }

  List<T> read(String provider, String source, Lines lines) {
    try {
      List<T> credentials = parser.parse(source, lines.read());
      List<T> before = lastGood.put(source, credentials);
      if (failing.remove(source) != null || (before != null && !before.equals(credentials))) {
        log.info(
            "{} {} reloaded from {} ({} {})",
            wording.subject(),
            provider,
            source,
            credentials.size(),
            wording.noun());
      } else if (before == null) {
        log.info(
            "{} {} read from {} ({} {})",
            wording.subject(),
            provider,
            source,
            credentials.size(),
            wording.noun());
      }
      return credentials;
    } catch (IOException | IllegalArgumentException e) {
      String problem =
          e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName();
      if (!problem.equals(failing.put(source, problem))) {
        log.warn(
            "{} {}: cannot use {} ({}); {}",
            wording.subject(),
            provider,
            source,
            problem,
            lastGood.containsKey(source) ? wording.keeping() : wording.none());
      }
      return lastGood.getOrDefault(source, List.of());
    }
  }
}
