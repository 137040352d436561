package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ApiKeyField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ir.ApiKeyIr;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

  private static final DeclaredProviders.Kind KIND =
      new DeclaredProviders.Kind(
          "api-keys",
          "api-keys blocks",
          API_KEY_DUPLICATE_PROVIDER,
          API_KEY_UNKNOWN_PROVIDER,
          API_KEY_UNUSED_PROVIDER,
          name -> "api-keys \"" + name + "\" { keys file \"/etc/meshgate/" + name + ".keys\" }",
          name ->
              "api-keys \""
                  + name
                  + "\" is not required by any host or route, so its keys are never checked;"
                  + " add `require api-key \""
                  + name
                  + "\"` where it applies, or remove it");

  void gateway(GatewayDecl gateway) {
    DeclaredProviders.check(
        cx,
        gateway,
        KIND,
        GatewayStmt.ApiKeys.class,
        GatewayStmt.ApiKeys::name,
        this::provider,
        s -> s instanceof RouteAuth.RequireApiKey r ? Optional.of(r.provider()) : Optional.empty());
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
