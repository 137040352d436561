package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.IGNORE_MALFORMED;
import static dev.meshgate.compiler.check.Codes.IGNORE_NOT_ALLOWED;
import static dev.meshgate.compiler.check.Codes.IGNORE_UNUSED;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.Suppressed;
import dev.meshgate.compiler.ast.Comment;
import dev.meshgate.compiler.ast.PolicyFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code # meshgate:ignore CODE[,CODE…] reason}: silences findings with that code on the next line
 * that is not blank or a comment, or, written after code, on its own line. The reason is required
 * (MG790); an ignore that silences nothing is reported (MG791); errors that make the policy unsound
 * cannot be silenced (MG792). Works on comments only, so it needs no grammar.
 */
final class Suppressions {
  private Suppressions() {}

  private static final String DIRECTIVE = "meshgate:ignore";
  private static final Pattern CODE = Pattern.compile("MG[0-9]{3}");

  /** A comment that means to talk to meshgate, well-formed or not. */
  private static final Pattern ANY_DIRECTIVE = Pattern.compile("#\\s*meshgate:");

  private static final Pattern FORM =
      Pattern.compile("#\\s*" + Pattern.quote(DIRECTIVE) + "(?:\\s+(\\S+))?(?:\\s+(.*))?");

  /** What is left to report, and what was silenced. */
  record Outcome(List<Diagnostic> diagnostics, List<Suppressed> suppressed) {}

  /** One code of one well-formed ignore comment, and whether it silenced anything. */
  private static final class Ignore {
    final PolicyFile file;
    final Span comment;
    final String code;
    final Span codeSpan;
    final String reason;
    final int targetLine;
    boolean used;

    Ignore(
        PolicyFile file, Span comment, String code, Span codeSpan, String reason, int targetLine) {
      this.file = file;
      this.comment = comment;
      this.code = code;
      this.codeSpan = codeSpan;
      this.reason = reason;
      this.targetLine = targetLine;
    }

    boolean matches(Diagnostic d) {
      return d.code().equals(code)
          && d.span().file().equals(file.source().name())
          && d.span().line() == targetLine;
    }
  }

  /**
   * Applies every ignore comment of {@code files} to {@code findings}. {@code judgeUnused}: report
   * ignores that silenced nothing (only meaningful when every analysis ran, i.e. the policy had no
   * error, since some analyses skip a broken policy).
   */
  static Outcome apply(List<PolicyFile> files, List<Diagnostic> findings, boolean judgeUnused) {
    List<Diagnostic> out = new ArrayList<>();
    List<Ignore> ignores = new ArrayList<>();
    Set<String> known = Codes.all();
    for (PolicyFile file : files) {
      for (Comment comment : file.comments()) {
        Matcher m = FORM.matcher(comment.text().strip());
        if (!m.matches()) {
          if (ANY_DIRECTIVE.matcher(comment.text()).lookingAt()) {
            out.add(
                Diagnostic.warning(
                    IGNORE_MALFORMED,
                    comment.span(),
                    file.source(),
                    "unknown meshgate directive; the one there is reads `# meshgate:ignore MG701 why it is fine`"));
          }
          continue;
        }
        int offset = comment.text().indexOf(comment.text().strip());
        String codes = m.group(1);
        String reason = m.group(2) == null ? "" : m.group(2).strip();
        if (codes == null) {
          out.add(
              Diagnostic.warning(
                  IGNORE_MALFORMED,
                  comment.span(),
                  file.source(),
                  "this ignore names no code; write `# meshgate:ignore MG701 why it is fine`"));
          continue;
        }
        if (reason.isEmpty()) {
          out.add(
              Diagnostic.warning(
                  IGNORE_MALFORMED,
                  comment.span(),
                  file.source(),
                  "this ignore gives no reason, so it is not applied; say why the finding is fine, like `# meshgate:ignore "
                      + codes
                      + " old clients still use it`"));
          continue;
        }
        int codesAt = offset + m.start(1);
        int target = targetLine(file, comment);
        int pos = 0;
        for (String code : codes.split(",", -1)) {
          Span span =
              new Span(
                  comment.span().file(),
                  comment.span().line(),
                  comment.span().column() + codesAt + pos,
                  code.length());
          pos += code.length() + 1;
          if (!CODE.matcher(code).matches() || !known.contains(code)) {
            out.add(
                Diagnostic.warning(
                    IGNORE_MALFORMED,
                    span,
                    file.source(),
                    "\""
                        + code
                        + "\" is not a Meshgate diagnostic code; write codes as printed in brackets, like MG701"
                        + " (several: MG701,MG720)"));
          } else if (!Codes.silenceable(code)) {
            out.add(
                Diagnostic.warning(
                    IGNORE_NOT_ALLOWED,
                    span,
                    file.source(),
                    code
                        + " cannot be silenced: it means the policy cannot be compiled as written; fix it instead"));
          } else {
            ignores.add(new Ignore(file, comment.span(), code, span, reason, target));
          }
        }
      }
    }
    List<Suppressed> suppressed = new ArrayList<>();
    for (Diagnostic d : findings) {
      Optional<Ignore> by = ignores.stream().filter(i -> i.matches(d)).findFirst();
      if (by.isPresent() && Codes.silences(d)) {
        ignores.stream().filter(i -> i.matches(d)).forEach(i -> i.used = true);
        suppressed.add(new Suppressed(d, by.get().comment, by.get().reason));
      } else {
        out.add(d);
      }
    }
    if (judgeUnused) {
      for (Ignore i : ignores) {
        if (!i.used) {
          String where =
              i.targetLine == 0
                  ? "no line follows it"
                  : "line " + i.targetLine + " has no " + i.code + " finding";
          out.add(
              Diagnostic.warning(
                  IGNORE_UNUSED,
                  i.codeSpan,
                  i.file.source(),
                  "this ignore silences nothing: " + where + "; remove it"));
        }
      }
    }
    return new Outcome(List.copyOf(out), List.copyOf(suppressed));
  }

  /**
   * The line an ignore applies to: its own line for a trailing comment, else the next line that is
   * neither blank nor a comment; 0 when there is none.
   */
  private static int targetLine(PolicyFile file, Comment comment) {
    if (comment.trailing()) {
      return comment.span().line();
    }
    String[] lines = file.source().text().split("\r?\n", -1);
    for (int n = comment.span().line() + 1; n <= lines.length; n++) {
      String text = lines[n - 1].strip();
      if (!text.isEmpty() && !text.startsWith("#")) {
        return n;
      }
    }
    return 0;
  }
}
