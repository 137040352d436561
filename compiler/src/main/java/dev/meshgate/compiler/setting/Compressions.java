package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.CompressionIr;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * compression (issue 13): {@code compress gzip, brotli [types "…", …] [min-size 1kb]} or {@code
 * compress off}, on a gateway, host or route (the most specific wins as a whole). Envoy: {@code
 * translate/Compression} (one compressor filter per algorithm and distinct setting, slot {@code
 * HttpFilters.Slot.COMPRESSOR}, enabled per route); not simulated (it changes how a response is
 * encoded, not which answer it is); goldens: {@code compression/}.
 */
final class Compressions implements Setting<RouteStmt.Compress> {
  /** The algorithms, by the name the policy writes. */
  static final List<String> ALGORITHMS = List.of("gzip", "brotli");

  /**
   * Envoy's own default {@code content_type} list, used when {@code types} is not written: text
   * formats that compress well.
   */
  static final List<String> DEFAULT_TYPES =
      List.of(
          "application/javascript",
          "application/json",
          "application/xhtml+xml",
          "image/svg+xml",
          "text/css",
          "text/html",
          "text/plain",
          "text/xml");

  /**
   * Our default minimum (Envoy's is 30 bytes): below about 1 KiB a response fits in one packet
   * anyway, so compressing it saves no round trip and costs CPU on both sides.
   */
  static final long DEFAULT_MIN_BYTES = 1024;

  /** Types whose content is already compressed: compressing again only burns CPU. */
  private static final Set<String> COMPRESSED =
      Set.of(
          "image/png",
          "image/jpeg",
          "image/gif",
          "image/webp",
          "image/avif",
          "application/zip",
          "application/gzip",
          "application/x-gzip",
          "application/x-bzip2",
          "application/x-xz",
          "application/zstd",
          "application/x-7z-compressed",
          "application/vnd.rar",
          "font/woff",
          "font/woff2");

  /** {@code type/subtype}, RFC 6838 restricted names. */
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");

  @Override
  public Class<RouteStmt.Compress> node() {
    return RouteStmt.Compress.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.ONCE;
  }

  @Override
  public void check(RouteStmt.Compress c, SettingChecks checks) {
    boolean off = c.algorithms().stream().anyMatch(a -> a.text().equals("off"));
    if (off && (c.algorithms().size() > 1 || !c.types().isEmpty() || c.minSize().isPresent())) {
      checks.error(
          COMPRESS_OFF_WITH_OPTIONS,
          c.span(),
          "`compress off` turns compression off and takes nothing else; write either `compress"
              + " off` or the algorithms like `compress gzip, brotli`");
      return;
    }
    for (Name a : c.algorithms()) {
      if (!off && !ALGORITHMS.contains(a.text())) {
        checks.error(
            UNKNOWN_COMPRESSION,
            a.span(),
            "unknown compression \"" + a.text() + "\"; use gzip, brotli, or off");
      }
    }
    for (StringLit type : c.types()) {
      String t = type.value().toLowerCase(Locale.ROOT);
      if (!MEDIA_TYPE.matcher(t).matches()) {
        checks.error(
            INVALID_CONTENT_TYPE,
            type.span(),
            "\""
                + type.value()
                + "\" is not a content type; write type/subtype like \"application/json\" (no"
                + " parameters such as charset)");
      } else if (compressed(t)) {
        checks.warning(
            COMPRESS_COMPRESSED_TYPE,
            type.span(),
            "\""
                + type.value()
                + "\" is already compressed: compressing it again costs CPU and saves nothing;"
                + " remove it from `types`");
      }
    }
    c.minSize()
        .ifPresent(
            s ->
                Sizes.check(
                    s,
                    "min-size",
                    1,
                    RequestBodyLimits.MAX_BYTES,
                    (code, at, m) -> checks.error(code, at.span(), m)));
  }

  static boolean compressed(String type) {
    return COMPRESSED.contains(type) || type.startsWith("video/") || type.startsWith("audio/");
  }

  @Override
  public void lower(RouteStmt.Compress c, RouteParts parts) {
    if (c.off()) {
      parts.compression(Optional.empty());
      return;
    }
    List<String> types =
        c.types().isEmpty()
            ? DEFAULT_TYPES
            : c.types().stream().map(t -> t.value().toLowerCase(Locale.ROOT)).distinct().toList();
    parts.compression(
        Optional.of(
            new CompressionIr(
                c.algorithms().stream().map(Name::text).distinct().toList(),
                types,
                c.minSize().flatMap(s -> s.bytes()).orElse(DEFAULT_MIN_BYTES))));
  }
}
