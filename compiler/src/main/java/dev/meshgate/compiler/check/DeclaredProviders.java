package dev.meshgate.compiler.check;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The named blocks of one kind a gateway declares ({@code api-keys "p" {…}}, {@code ext-authz "a"
 * {…}}) against the names its {@code require} statements use: a second block of one name is an
 * error, a name no block has is an error with a did-you-mean, and a block nothing requires is a
 * warning (unless a name was unknown: a misspelt name would also show its intended block as unused,
 * so only the first is said).
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
    List<StringLit> used = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.RouteSetting r -> uses.apply(r.stmt()).ifPresent(used::add);
        case GatewayStmt.Host h -> {
          h.settings().forEach(s -> uses.apply(s).ifPresent(used::add));
          for (RouteDecl route : h.routes()) {
            route.body().forEach(s -> uses.apply(s).ifPresent(used::add));
          }
        }
        default -> {}
      }
    }
    boolean unknown = false;
    for (StringLit name : used) {
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
      Set<String> names = used.stream().map(StringLit::value).collect(Collectors.toSet());
      declared.forEach((n, block) -> {
        if (!names.contains(n)) {
          cx.warning(kind.unusedCode(), nameOf.apply(block).span(), kind.unused().apply(n));
        }
      });
    }
  }
}
