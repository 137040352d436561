package dev.meshgate.compiler.check;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Node;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The named blocks of one kind a gateway declares ({@code api-keys "p" {…}}, {@code ext-authz "a"
 * {…}}) against the names its {@code require} statements use: a second block of one name is an
 * error, a name no block has is an error with a did-you-mean, and a block nothing requires is a
 * warning (unless a name was unknown: a misspelt name would also show its intended block as unused,
 * so only the first is said). Also what the checks of the blocks' insides share: a name that names
 * Envoy resources, a field a block has once, and the http(s) URLs a provider is reached at.
 */
final class DeclaredProviders {
  /**
   * One kind of block and what its findings say.
   *
   * @param keyword the block's keyword, as in {@code duplicate api-keys "p"}
   * @param plural what the did-you-mean lists, as in {@code declared api-keys blocks}
   * @param declareExample the block to declare for a name when the gateway has none
   * @param unused the warning for a block nothing requires, given its name
   */
  record Kind(
      String keyword,
      String plural,
      String duplicateCode,
      String unknownCode,
      String unusedCode,
      UnaryOperator<String> declareExample,
      UnaryOperator<String> unused) {}

  private DeclaredProviders() {}

  /**
   * Checks {@code gateway}'s blocks of {@code type} (each also handed to {@code each}, in policy
   * order) against the names {@code uses} finds in its gateway-, host- and route-level statements.
   */
  static <T extends GatewayStmt> void check(
      CheckContext cx,
      GatewayDecl gateway,
      Kind kind,
      Class<T> type,
      Function<T, StringLit> nameOf,
      Consumer<T> each,
      Function<RouteStmt, Optional<StringLit>> uses) {
    Map<String, T> declared = declared(cx, gateway, kind, type, nameOf, each);
    List<StringLit> named = named(gateway, uses);
    resolve(
        cx,
        gateway,
        kind,
        declared,
        nameOf,
        named,
        named.stream().map(StringLit::value).collect(Collectors.toSet()));
  }

  /**
   * {@code gateway}'s blocks of {@code type} by name, the first of each, in policy order (each
   * block, repeats included, also handed to {@code each}); a repeated name is an error.
   */
  static <T extends GatewayStmt> Map<String, T> declared(
      CheckContext cx,
      GatewayDecl gateway,
      Kind kind,
      Class<T> type,
      Function<T, StringLit> nameOf,
      Consumer<T> each) {
    Map<String, T> declared = new LinkedHashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (type.isInstance(stmt)) {
        T block = type.cast(stmt);
        each.accept(block);
        StringLit name = nameOf.apply(block);
        T before = declared.putIfAbsent(name.value(), block);
        if (before != null) {
          cx.error(
              kind.duplicateCode(),
              name.span(),
              "duplicate "
                  + kind.keyword()
                  + " \""
                  + name.value()
                  + "\" in gateway \""
                  + gateway.name().text()
                  + "\"; it is first declared at "
                  + cx.at(nameOf.apply(before).span()));
        }
      }
    }
    return declared;
  }

  /**
   * The names {@code uses} finds in {@code gateway}'s gateway-, host- and route-level statements.
   */
  static List<StringLit> named(GatewayDecl gateway, Function<RouteStmt, Optional<StringLit>> uses) {
    List<StringLit> named = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.RouteSetting r -> uses.apply(r.stmt()).ifPresent(named::add);
        case GatewayStmt.Host h -> {
          h.settings().forEach(s -> uses.apply(s).ifPresent(named::add));
          for (RouteDecl route : h.routes()) {
            route.body().forEach(s -> uses.apply(s).ifPresent(named::add));
          }
        }
        default -> {}
      }
    }
    return named;
  }

  /**
   * An error for each of {@code named} that no block declares; when there is none, a warning for
   * each block whose name is not {@code used} (the names a requirement puts in effect somewhere:
   * those named, unless a feature knows better, as oidc does of one every route overrides).
   */
  static <T extends GatewayStmt> void resolve(
      CheckContext cx,
      GatewayDecl gateway,
      Kind kind,
      Map<String, T> declared,
      Function<T, StringLit> nameOf,
      List<StringLit> named,
      Set<String> used) {
    boolean unknown = false;
    for (StringLit name : named) {
      if (!declared.containsKey(name.value())) {
        unknown = true;
        cx.error(
            kind.unknownCode(),
            name.span(),
            "gateway \""
                + gateway.name().text()
                + "\" has no "
                + kind.keyword()
                + " \""
                + name.value()
                + "\"; "
                + (declared.isEmpty()
                    ? "declare one like `" + kind.declareExample().apply(name.value()) + "`"
                    : NearestNames.hint(
                        name.value(),
                        NearestNames.Kind.declared(kind.plural(), declared.keySet()))));
      }
    }
    if (cx.current.complete() && !unknown) {
      declared.forEach((n, block) -> {
        if (!used.contains(n)) {
          cx.warning(kind.unusedCode(), nameOf.apply(block).span(), kind.unused().apply(n));
        }
      });
    }
  }

  /** The statements written at gateway level ({@code require …} outside any host). */
  static List<RouteStmt> gatewaySettings(GatewayDecl gateway) {
    return gateway.body().stream()
        .flatMap(s -> s instanceof GatewayStmt.RouteSetting r ? Stream.of(r.stmt()) : Stream.of())
        .toList();
  }

  /** A block's name also names Envoy resources, so it keeps to what they allow. */
  static void resourceName(CheckContext cx, String code, String keyword, StringLit name) {
    if (!name.value().matches("[A-Za-z0-9._-]+")) {
      cx.error(
          code,
          name.span(),
          keyword
              + " name \""
              + name.value()
              + "\" may only use letters, digits and . _ - (it names Envoy resources)");
    }
  }

  /** Each of {@code fields} (one keyword's, in order) after the first: a provider has one. */
  static void once(CheckContext cx, String code, String keyword, List<? extends Node> fields) {
    for (Node extra : fields.stream().skip(1).toList()) {
      cx.error(
          code,
          extra.span(),
          "`"
              + keyword
              + "` is already written at "
              + cx.at(fields.getFirst().span())
              + "; a provider has one");
    }
  }

  /**
   * A provider's URL (a JWKS, an OIDC endpoint) when it is an http(s) URL with a host; empty when
   * it is not one (or not a URL at all).
   */
  static Optional<URI> httpUrl(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = scheme(uri);
    return scheme.equals("https") || scheme.equals("http")
        ? Optional.of(uri).filter(u -> u.getHost() != null)
        : Optional.empty();
  }

  /** Plain http to another machine: anyone on the path reads, and can change, what it carries. */
  static boolean plainHttpOffLoopback(URI url) {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    return scheme(url).equals("http") && !loopback;
  }

  private static String scheme(URI uri) {
    return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
  }
}
