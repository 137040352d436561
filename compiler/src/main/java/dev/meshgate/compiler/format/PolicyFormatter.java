package dev.meshgate.compiler.format;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.parse.ParsedFile;
import dev.meshgate.compiler.parse.PolicyParser;
import java.util.List;

/**
 * The canonical printer behind {@code meshgate fmt}. It parses the file and prints every
 * declaration from the syntax tree in one layout (see docs/language.md, "Formatting"), keeping
 * every comment. A file with syntax errors is refused: the tree then lacks what could not be
 * parsed, and printing it would silently delete the user's text.
 */
public final class PolicyFormatter {
  private PolicyFormatter() {}

  public static FormatResult format(Source source) {
    ParsedFile parsed = PolicyParser.parse(source);
    List<Diagnostic> errors = parsed.diagnostics().stream().filter(Diagnostic::isError).toList();
    if (!errors.isEmpty() || !parsed.file().complete()) {
      return FormatResult.refused(source, parsed.diagnostics());
    }
    Braces braces = Braces.scan(source.text());
    List<Layout.Item> items = new Layout(braces).items(parsed.file().decls());
    return FormatResult.formatted(
        source, new Printer(source, items, parsed.file().comments()).print());
  }
}
