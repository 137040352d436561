package dev.meshgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Policy templates: {@code ${name}} placeholders filled with run-time ports and addresses. */
final class Policy {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z0-9_.-]+)}");

  private Policy() {}

  /** Fills every placeholder; a placeholder without a value is a bug in the test. */
  static String render(String template, Map<String, ?> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in policy template");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Writes {@code text} in place (truncate + write), as an editor saving the file would. */
  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replaces {@code file} by renaming a finished temporary file over it, as many editors and
   * deployment tools do: the watcher sees a new file, never a half-written one.
   */
  static Path replaceAtomically(Path file, String text) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), ".edit-", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      return Files.move(
          tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
