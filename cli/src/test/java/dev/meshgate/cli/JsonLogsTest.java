package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The layout of {@code --log-format json}: what a log pipeline and {@code jq} get. */
class JsonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream stderr = System.err;

  @AfterEach
  void restore() {
    System.setErr(stderr);
    LoggingOptions.apply(LoggingOptions.Format.text, LoggingOptions.Level.info);
  }

  @Test
  void oneObjectPerLineWithKeyValuesAndMdcAsTopLevelFields() throws Exception {
    List<JsonNode> lines =
        logged(
            LoggingOptions.Format.json,
            LoggingOptions.Level.debug,
            log -> {
              log.atInfo()
                  .addKeyValue("event", "reload")
                  .addKeyValue("version", "3f2a9c01d4e5b678")
                  .addKeyValue("proxies", 2)
                  .log("policy reloaded: version {}", "3f2a9c01d4e5b678");
              MDC.put("request", "r-1");
              try {
                log.debug("first line\nsecond line of a diagnostic");
              } finally {
                MDC.remove("request");
              }
              log.warn("failed", new IllegalStateException("boom"));
              log.trace("not at debug");
            });
    assertThat(lines).hasSize(3);
    JsonNode reload = lines.get(0);
    assertThat(reload.path("message").asText())
        .isEqualTo("policy reloaded: version 3f2a9c01d4e5b678");
    assertThat(reload.path("level").asText()).isEqualTo("INFO");
    assertThat(reload.path("logger_name").asText()).isEqualTo("dev.meshgate.test.JsonLogs");
    assertThat(reload.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(reload.path("event").asText()).isEqualTo("reload");
    assertThat(reload.path("version").asText()).isEqualTo("3f2a9c01d4e5b678");
    assertThat(reload.path("proxies").asInt()).isEqualTo(2);
    assertThat(reload.has("@version")).as("logstash's own @version is left out").isFalse();
    JsonNode multiline = lines.get(1);
    assertThat(multiline.path("message").asText())
        .isEqualTo("first line\nsecond line of a diagnostic");
    assertThat(multiline.path("request").asText()).isEqualTo("r-1");
    assertThat(lines.get(2).path("stack_trace").asText()).contains("IllegalStateException: boom");
  }

  @Test
  void textStaysShortLinesAndTheLevelFilters() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    LoggingOptions.apply(LoggingOptions.Format.text, LoggingOptions.Level.warn);
    Logger log = LoggerFactory.getLogger("dev.meshgate.test.JsonLogs");
    log.info("hidden at warn");
    log.warn("shown");
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("hidden").contains("WARN  JsonLogs: shown").doesNotContain("{");
  }

  @Test
  void theFlagsAndTheirEnvironmentDefaultsAreOnServeAndCheck() throws Exception {
    var cl =
        Meshgate.commandLine(
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(new java.io.StringWriter()));
    for (String command : List.of("serve", "check")) {
      var spec = cl.getSubcommands().get(command).getCommandSpec();
      assertThat(spec.findOption("--log-format")).as(command).isNotNull();
      assertThat(spec.findOption("--log-level")).as(command).isNotNull();
    }
    // picocli resolves ${env:...} when it builds the model: read the declarations.
    assertThat(option("format").defaultValue()).isEqualTo("${env:MESHGATE_LOG_FORMAT:-text}");
    assertThat(option("level").defaultValue()).isEqualTo("${env:MESHGATE_LOG_LEVEL:-info}");
    var parsed = cl.parseArgs("serve", "x.mesh", "--log-format", "JSON", "--log-level", "Debug");
    Object serve = parsed.subcommand().commandSpec().userObject();
    assertThat(((ServeCommand) serve).logging.json()).isTrue();
    assertThat(((ServeCommand) serve).logging.level).isEqualTo(LoggingOptions.Level.debug);
  }

  private static picocli.CommandLine.Option option(String field) throws NoSuchFieldException {
    return LoggingOptions.class
        .getDeclaredField(field)
        .getAnnotation(picocli.CommandLine.Option.class);
  }

  private List<JsonNode> logged(
      LoggingOptions.Format format,
      LoggingOptions.Level level,
      java.util.function.Consumer<Logger> body)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    LoggingOptions.apply(format, level);
    body.accept(LoggerFactory.getLogger("dev.meshgate.test.JsonLogs"));
    List<JsonNode> lines = new ArrayList<>();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    for (String line : text.split("\n")) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      lines.add(node);
    }
    return lines;
  }
}
