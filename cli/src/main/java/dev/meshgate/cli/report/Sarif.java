package dev.meshgate.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Severity;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.Suppressed;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SARIF 2.1.0 log with one run of the tool "meshgate": each diagnostic code found as a rule (id,
 * short description, default level), and one result per finding with its file (a URI relative to
 * the repository root, {@code %SRCROOT%}), line and columns. That is what GitHub code scanning
 * needs to show findings as annotations on a pull request. Findings silenced in place are results
 * too, with an {@code inSource} suppression, so viewers show them as suppressed.
 */
final class Sarif {
  static final String VERSION = "2.1.0";
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String SOURCE_ROOT = "%SRCROOT%";

  /**
   * One result: a rule, a level (error, warning or note), where, and what; and, for a finding
   * silenced by a {@code # meshgate:ignore} comment, that comment and its reason.
   */
  record Finding(
      String ruleId, String level, Span span, String message, Optional<Suppression> suppression) {
    Finding(String ruleId, String level, Span span, String message) {
      this(ruleId, level, span, message, Optional.empty());
    }
  }

  /** An in-source suppression: where the ignore comment is, and the reason it gives. */
  record Suppression(Span comment, String justification) {}

  /**
   * How the run ended, for SARIF's {@code invocations}: the exit code and, when it is not 0, why
   * (so a viewer can tell that warnings failed a {@code --werror} check).
   */
  record Outcome(int exitCode, Optional<String> description) {}

  private Sarif() {}

  static Finding finding(Diagnostic diagnostic) {
    String level = diagnostic.severity() == Severity.ERROR ? "error" : "warning";
    return new Finding(diagnostic.code(), level, diagnostic.span(), diagnostic.message());
  }

  static List<Finding> findings(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Sarif::finding).toList();
  }

  /** Silenced findings: results with an {@code inSource} suppression. */
  static List<Finding> suppressedFindings(List<Suppressed> suppressed) {
    return suppressed.stream()
        .map(s -> {
          Finding f = finding(s.diagnostic());
          return new Finding(
              f.ruleId(),
              f.level(),
              f.span(),
              f.message(),
              Optional.of(new Suppression(s.comment(), s.reason())));
        })
        .toList();
  }

  static ObjectNode log(List<Finding> findings) {
    return log(findings, Optional.empty());
  }

  static ObjectNode log(List<Finding> findings, Optional<Outcome> outcome) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode log = nodes.objectNode();
    log.put("$schema", SCHEMA);
    log.put("version", VERSION);
    ObjectNode run = log.putArray("runs").addObject();

    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "meshgate");
    driver.put("semanticVersion", Reports.toolVersion());
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> ruleIndex = new java.util.HashMap<>();
    // The rules this run refers to, by code: enough for viewers, and each level is the real one.
    List<String> codes = findings.stream().map(Finding::ruleId).distinct().sorted().toList();
    for (String code : codes) {
      ruleIndex.put(code, rules.size());
      ObjectNode rule = rules.addObject();
      rule.put("id", code);
      rule.putObject("shortDescription").put("text", Rules.describe(code));
      rule.putObject("fullDescription")
          .put(
              "text",
              Rules.describe(code)
                  + " ("
                  + Rules.category(code)
                  + "); see docs/language.md, Diagnostics.");
      rule.putObject("defaultConfiguration").put("level", defaultLevel(code, findings));
    }

    outcome.ifPresent(o -> {
      ObjectNode invocation = run.putArray("invocations").addObject();
      // The analysis itself succeeded whatever it found; the exit code says the rest.
      invocation.put("executionSuccessful", true);
      invocation.put("exitCode", o.exitCode());
      o.description().ifPresent(d -> invocation.put("exitCodeDescription", d));
    });
    run.put("columnKind", "utf16CodeUnits");
    ArrayNode results = run.putArray("results");
    for (Finding finding : findings) {
      ObjectNode result = results.addObject();
      result.put("ruleId", finding.ruleId());
      result.put("ruleIndex", ruleIndex.get(finding.ruleId()));
      result.put("level", finding.level());
      result.putObject("message").put("text", finding.message());
      physicalLocation(result.putArray("locations").addObject(), finding.span());
      finding
          .suppression()
          .ifPresent(s -> {
            ObjectNode suppression = result.putArray("suppressions").addObject();
            suppression.put("kind", "inSource");
            suppression.put("justification", s.justification());
            physicalLocation(suppression.putObject("location"), s.comment());
          });
    }
    return log;
  }

  private static void physicalLocation(ObjectNode location, Span span) {
    ObjectNode physical = location.putObject("physicalLocation");
    ObjectNode artifact = physical.putObject("artifactLocation");
    String uri = Locations.uri(span.file());
    artifact.put("uri", uri);
    if (Locations.isRelative(uri)) {
      artifact.put("uriBaseId", SOURCE_ROOT);
    }
    ObjectNode region = physical.putObject("region");
    region.put("startLine", span.line());
    region.put("startColumn", span.column());
    region.put("endColumn", span.column() + span.length()); // exclusive, as SARIF defines it
  }

  /** The level the code has in this run (a code is either always an error or always a warning). */
  private static String defaultLevel(String code, List<Finding> findings) {
    return findings.stream()
        .filter(f -> f.ruleId().equals(code))
        .map(Finding::level)
        .findFirst()
        .orElse("warning");
  }
}
