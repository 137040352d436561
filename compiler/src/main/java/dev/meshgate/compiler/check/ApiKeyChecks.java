package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ApiKeyField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.ApiKeyIr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * api keys (issue 12): a gateway's {@code api-keys} blocks (one keys file, by absolute path, and no
 * key written in the policy) and the providers its {@code require api-key} statements name.
 */
final class ApiKeyChecks {
  private final CheckContext cx;
  private final Values values;

  ApiKeyChecks(CheckContext cx, Values values) {
    this.cx = cx;
    this.values = values;
  }

  void gateway(GatewayDecl gateway) {
    Map<String, GatewayStmt.ApiKeys> providers = new LinkedHashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.ApiKeys p) {
        provider(p);
        GatewayStmt.ApiKeys before = providers.putIfAbsent(p.name().value(), p);
        if (before != null) {
          cx.error(
              API_KEY_DUPLICATE_PROVIDER,
              p.name().span(),
              "duplicate api-keys \""
                  + p.name().value()
                  + "\" in gateway \""
                  + gateway.name().text()
                  + "\"; it is first declared at "
                  + cx.at(before.name().span()));
        }
      }
    }
    List<StringLit> used = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.RouteSetting r -> collect(Stream.of(r.stmt()), used);
        case GatewayStmt.Host h -> {
          collect(h.settings().stream(), used);
          for (RouteDecl route : h.routes()) {
            collect(route.body().stream(), used);
          }
        }
        default -> {}
      }
    }
    boolean unknown = false;
    for (StringLit name : used) {
      if (!providers.containsKey(name.value())) {
        unknown = true;
        cx.error(
            API_KEY_UNKNOWN_PROVIDER,
            name.span(),
            "gateway \""
                + gateway.name().text()
                + "\" has no api-keys \""
                + name.value()
                + "\"; "
                + (providers.isEmpty()
                    ? "declare one like `api-keys \""
                        + name.value()
                        + "\" { keys file \"/etc/meshgate/"
                        + name.value()
                        + ".keys\" }`"
                    : NearestNames.hint(
                        name.value(),
                        NearestNames.Kind.declared("api-keys blocks", providers.keySet()))));
      }
    }
    // A misspelt name would also show its intended provider as unused: say only the first.
    if (cx.current.complete() && !unknown) {
      Set<String> names = used.stream().map(StringLit::value).collect(Collectors.toSet());
      providers.forEach((n, p) -> {
        if (!names.contains(n)) {
          cx.warning(
              API_KEY_UNUSED_PROVIDER,
              p.name().span(),
              "api-keys \""
                  + n
                  + "\" is not required by any host or route, so its keys are never checked;"
                  + " add `require api-key \""
                  + n
                  + "\"` where it applies, or remove it");
        }
      });
    }
  }

  private static void collect(Stream<RouteStmt> stmts, List<StringLit> used) {
    stmts
        .filter(RouteAuth.RequireApiKey.class::isInstance)
        .map(r -> ((RouteAuth.RequireApiKey) r).provider())
        .forEach(used::add);
  }

  private void provider(GatewayStmt.ApiKeys p) {
    String name = p.name().value();
    if (!name.matches("[A-Za-z0-9._-]+")) {
      cx.error(
          API_KEY_INVALID_NAME,
          p.name().span(),
          "api-keys name \""
              + name
              + "\" may only use letters, digits and . _ - (it names Envoy filters)");
    }
    for (ApiKeyField.KeysLiteral literal : p.all(ApiKeyField.KeysLiteral.class)) {
      // The value is never repeated in the message: it may be a real key.
      cx.error(
          API_KEY_IN_POLICY,
          literal.value().span(),
          "API keys must not be written in a policy (policies live in version control and in"
              + " compiled output); put them in a keys file on the server, one `client key` per"
              + " line, and write `keys file \"/etc/meshgate/"
              + name
              + ".keys\"` here");
    }
    List<ApiKeyField.KeysFile> files = p.all(ApiKeyField.KeysFile.class);
    if (files.isEmpty() && p.all(ApiKeyField.KeysLiteral.class).isEmpty()) {
      cx.error(
          API_KEY_PROVIDER_INCOMPLETE,
          p.name().span(),
          "api-keys \""
              + name
              + "\" has no `keys file`, so no key can match; write `keys file \"/etc/meshgate/"
              + name
              + ".keys\"` (a file on the server, one `client key` per line)");
    }
    for (ApiKeyField.KeysFile extra : files.stream().skip(1).toList()) {
      cx.error(
          API_KEY_PROVIDER_INCOMPLETE,
          extra.span(),
          "`keys file` is written twice in api-keys \""
              + name
              + "\"; the first is at "
              + cx.at(files.getFirst().span())
              + "; keep all keys of one provider in one file");
    }
    for (ApiKeyField.KeysFile file : files) {
      String path = file.file().value();
      if (file.kubernetesSecret()) {
        SecretReferences.problem(path, "meshgate/" + name + "-keys")
            .ifPresent(problem -> cx.error(API_KEY_RELATIVE_FILE, file.file().span(), problem));
      } else if (!path.startsWith("/")) {
        cx.error(
            API_KEY_RELATIVE_FILE,
            file.file().span(),
            "the keys file must be an absolute path (`meshgate serve` reads it, from wherever it"
                + " runs), like \"/etc/meshgate/"
                + name
                + ".keys\"");
      }
    }
    for (ApiKeyField.From from : p.all(ApiKeyField.From.class)) {
      String value = from.name().value();
      switch (from.place()) {
        case HEADER -> {
          values.headerName(from.name());
          if (value.toLowerCase(Locale.ROOT).equals(ApiKeyIr.CLIENT_HEADER)) {
            cx.error(
                API_KEY_INVALID_NAME,
                from.name().span(),
                "\""
                    + ApiKeyIr.CLIENT_HEADER
                    + "\" carries the authenticated client's name to backends; read keys from"
                    + " another header, like \"x-api-key\"");
          }
        }
        case QUERY, COOKIE -> {
          if (!value.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            cx.error(
                API_KEY_INVALID_NAME,
                from.name().span(),
                "\""
                    + value
                    + "\" is not a "
                    + (from.place() == ApiKeyField.Place.QUERY ? "query parameter" : "cookie")
                    + " name (letters, digits, no spaces)");
          }
        }
      }
    }
  }
}
