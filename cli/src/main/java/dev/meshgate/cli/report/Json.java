package dev.meshgate.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.Suppressed;
import dev.meshgate.compiler.plan.Change;
import dev.meshgate.compiler.plan.FieldChange;
import dev.meshgate.compiler.plan.GroupPlan;
import dev.meshgate.compiler.plan.ResourceChange;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The JSON reports (schemas in docs/ci.md) and the pretty printer all reports share. */
final class Json {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  static String print(JsonNode node) {
    return EnvoyOutput.print(node);
  }

  static JsonNode parse(String json) {
    return EnvoyOutput.parse(json);
  }

  private static ObjectNode header(String command, boolean ok) {
    ObjectNode root = NODES.objectNode();
    root.put("tool", "meshgate");
    root.put("version", Reports.toolVersion());
    root.put("command", command);
    root.put("ok", ok);
    return root;
  }

  /** {@code ok} is check's exit decision: no error, and with --werror no warning either. */
  static ObjectNode check(
      List<Diagnostic> diagnostics, List<Suppressed> suppressed, int files, boolean ok) {
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    ObjectNode root = header("check", ok);
    ObjectNode summary = root.putObject("summary");
    summary.put("files", files);
    summary.put("errors", errors);
    summary.put("warnings", diagnostics.size() - errors);
    summary.put("suppressed", suppressed.size());
    diagnostics(root.putArray("diagnostics"), diagnostics, Optional.empty());
    ArrayNode silenced = root.putArray("suppressed");
    for (Suppressed s : suppressed) {
      diagnostics(silenced, List.of(s.diagnostic()), Optional.empty());
      ObjectNode node = (ObjectNode) silenced.get(silenced.size() - 1);
      ObjectNode comment = node.putObject("suppressedBy");
      location(comment, s.comment());
      comment.put("reason", s.reason());
    }
    return root;
  }

  static ObjectNode tests(List<TestCaseResult> tests, List<Diagnostic> diagnostics) {
    long failed = tests.stream().filter(t -> !t.passed()).count();
    boolean errors = diagnostics.stream().anyMatch(Diagnostic::isError);
    ObjectNode root = header("test", failed == 0 && !errors);
    ObjectNode summary = root.putObject("summary");
    summary.put("tests", tests.size());
    summary.put("passed", tests.size() - failed);
    summary.put("failed", failed);
    ArrayNode array = root.putArray("tests");
    for (TestCaseResult test : tests) {
      ObjectNode node = array.addObject();
      node.put("name", test.name());
      location(node, test.span());
      node.put("passed", test.passed());
      ArrayNode failures = node.putArray("failures");
      for (TestCaseResult.Failure failure : test.failures()) {
        ObjectNode f = failures.addObject();
        location(f, failure.span());
        f.put("message", failure.message());
        f.put("rendered", failure.rendered());
      }
    }
    diagnostics(root.putArray("diagnostics"), diagnostics, Optional.empty());
    return root;
  }

  static ObjectNode plan(PlanReport report) {
    ObjectNode root = header("plan", true);
    root.put("base", report.base());
    ArrayNode paths = root.putArray("paths");
    report.paths().forEach(paths::add);
    root.put("changes", report.plan().hasChanges());
    ObjectNode summary = root.putObject("summary");
    ObjectNode groups = summary.putObject("groups");
    for (Change change : Change.values()) {
      groups.put(
          change.label(),
          report.plan().groups().stream().filter(g -> g.change() == change).count());
    }
    ObjectNode resources = summary.putObject("resources");
    for (Change change : List.of(Change.ADDED, Change.REMOVED, Change.CHANGED)) {
      resources.put(change.label(), report.plan().count(change));
    }
    ArrayNode array = root.putArray("groups");
    for (GroupPlan group : report.plan().groups()) {
      ObjectNode g = array.addObject();
      g.put("group", group.group().key());
      g.put("role", group.group().role().label());
      g.put("name", group.group().name());
      g.put("change", group.change().label());
      ObjectNode reach = g.putObject("reach");
      report
          .connectedProxies()
          .ifPresentOrElse(
              counts -> reach.put("connectedProxies", counts.getOrDefault(group.group().key(), 0)),
              () -> reach.putNull("connectedProxies"));
      reach.put("text", report.reach(group.group().key()));
      ArrayNode changes = g.putArray("resources");
      for (ResourceChange resource : group.resources()) {
        ObjectNode r = changes.addObject();
        r.put("kind", resource.kind().label());
        r.put("name", resource.name());
        r.put("change", resource.change().label());
        if (dev.meshgate.compiler.plan.SecurityRelevance.of(resource)) {
          r.put("securityRelevant", true);
        }
        if (dev.meshgate.compiler.plan.ResilienceRelevance.of(resource)) {
          r.put("resilienceRelevant", true);
        }
        ArrayNode fields = r.putArray("fields");
        for (FieldChange field : resource.fields()) {
          ObjectNode f = fields.addObject();
          f.put("path", field.path());
          f.put("change", field.change().label());
          field.before().ifPresent(v -> f.set("before", parse(v)));
          field.after().ifPresent(v -> f.set("after", parse(v)));
        }
        // Whole resources only where there is no field list to read instead.
        if (resource.change() == Change.REMOVED) {
          resource.before().ifPresent(v -> r.set("before", parse(v)));
        } else if (resource.change() == Change.ADDED) {
          resource.after().ifPresent(v -> r.set("after", parse(v)));
        }
      }
    }
    ArrayNode diagnostics = root.putArray("diagnostics");
    diagnostics(diagnostics, report.baseDiagnostics(), Optional.of("base"));
    diagnostics(diagnostics, report.newDiagnostics(), Optional.of("new"));
    return root;
  }

  /** Policy errors stopped the plan: what each side reported. */
  static ObjectNode planErrors(
      String base,
      List<String> paths,
      List<Diagnostic> baseDiagnostics,
      List<Diagnostic> newDiagnostics) {
    ObjectNode root = header("plan", false);
    root.put("base", base);
    ArrayNode array = root.putArray("paths");
    paths.forEach(array::add);
    root.putNull("changes");
    ArrayNode diagnostics = root.putArray("diagnostics");
    diagnostics(diagnostics, baseDiagnostics, Optional.of("base"));
    diagnostics(diagnostics, newDiagnostics, Optional.of("new"));
    return root;
  }

  /** The same fields as the server's /status diagnostics, plus length (and side for plan). */
  private static void diagnostics(
      ArrayNode into, List<Diagnostic> diagnostics, Optional<String> side) {
    for (Diagnostic d : diagnostics) {
      ObjectNode node = into.addObject();
      side.ifPresent(s -> node.put("side", s));
      node.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
      node.put("code", d.code());
      location(node, d.span());
      node.put("length", d.span().length());
      node.put("message", d.message());
      node.put("rendered", d.render());
    }
  }

  private static void location(ObjectNode node, Span span) {
    node.put("file", span.file());
    node.put("line", span.line());
    node.put("column", span.column());
  }
}
