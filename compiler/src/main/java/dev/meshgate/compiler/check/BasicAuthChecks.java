package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Htpasswd;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.BasicAuthField;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * basic auth (issue 12): a gateway's {@code basic-auth} blocks (one users file, by absolute path,
 * no credentials in the policy), the providers its {@code require basic-auth} statements name, and
 * the users they list. When the users file can be read here, its user names are checked against
 * those lists (a warning: the server's copy of the file is the one that counts).
 */
final class BasicAuthChecks {
  private final CheckContext cx;

  BasicAuthChecks(CheckContext cx) {
    this.cx = cx;
  }

  private static final DeclaredProviders.Kind KIND =
      new DeclaredProviders.Kind(
          "basic-auth",
          "basic-auth blocks",
          BASIC_AUTH_DUPLICATE_PROVIDER,
          BASIC_AUTH_UNKNOWN_PROVIDER,
          BASIC_AUTH_UNUSED_PROVIDER,
          name ->
              "basic-auth \"" + name + "\" { users file \"/etc/meshgate/" + name + ".htpasswd\" }",
          name ->
              "basic-auth \""
                  + name
                  + "\" is not required by any host or route, so its users are never asked for"
                  + " a password; add `require basic-auth \""
                  + name
                  + "\"` where it applies, or remove it");

  void gateway(GatewayDecl gateway) {
    Map<String, GatewayStmt.BasicAuth> providers =
        DeclaredProviders.declared(
            cx,
            gateway,
            KIND,
            GatewayStmt.BasicAuth.class,
            GatewayStmt.BasicAuth::name,
            this::provider);
    // Not DeclaredProviders.named: the api-key check needs each place's statements together (the
    // gateway's as one place), and the users check the whole requirement, not only its name.
    List<RouteAuth.RequireBasicAuth> used = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Host h) {
        place(h.settings(), used);
        for (RouteDecl route : h.routes()) {
          place(route.body(), used);
        }
      }
    }
    place(DeclaredProviders.gatewaySettings(gateway), used);
    List<StringLit> named = used.stream().map(RouteAuth.RequireBasicAuth::provider).toList();
    DeclaredProviders.resolve(
        cx,
        gateway,
        KIND,
        providers,
        GatewayStmt.BasicAuth::name,
        named,
        named.stream().map(StringLit::value).collect(Collectors.toSet()));
    for (RouteAuth.RequireBasicAuth require : used) {
      Optional.ofNullable(providers.get(require.provider().value()))
          .flatMap(this::knownUsers)
          .ifPresent(known -> unlisted(require, known));
    }
  }

  /**
   * One place's statements (the gateway's, a host's, a route's): its basic-auth requirements, and
   * none beside an api-key requirement (both name the client in the same header).
   */
  private void place(List<RouteStmt> stmts, List<RouteAuth.RequireBasicAuth> used) {
    Optional<RouteAuth.RequireApiKey> apiKey =
        stmts.stream()
            .filter(RouteAuth.RequireApiKey.class::isInstance)
            .map(RouteAuth.RequireApiKey.class::cast)
            .findFirst();
    for (RouteStmt stmt : stmts) {
      if (stmt instanceof RouteAuth.RequireBasicAuth b) {
        used.add(b);
        apiKey.ifPresent(k ->
            cx.error(
                BASIC_AUTH_WITH_API_KEY,
                b.span(),
                "`require basic-auth` and `require api-key` (at "
                    + cx.at(k.span())
                    + ") are written in the same place; both name the caller in"
                    + " x-meshgate-client, so a request can be authenticated by only one: keep"
                    + " one, or put them on different routes"));
      }
    }
  }

  private void unlisted(RouteAuth.RequireBasicAuth require, Set<String> known) {
    for (StringLit user : require.users()) {
      if (user.value().matches(Htpasswd.USER_NAME) && !known.contains(user.value())) {
        cx.warning(
            BASIC_AUTH_USERS_FILE,
            user.span(),
            "user \""
                + user.value()
                + "\" is not in the users file of basic-auth \""
                + require.provider().value()
                + "\" (as read here), so it cannot pass this route; add it to the file with"
                + " `htpasswd -s`, or fix the name");
      }
    }
  }

  /**
   * The user names of the provider's file when it can be read here and parses (a file that does not
   * parse is reported by {@link #provider}); empty when it cannot be read: the server reads it, on
   * a machine that need not be this one.
   */
  private Optional<Set<String>> knownUsers(GatewayStmt.BasicAuth p) {
    return p.all(BasicAuthField.UsersFile.class).stream()
        .findFirst()
        .filter(f -> !f.kubernetesSecret())
        .flatMap(f -> read(f.file()))
        .flatMap(lines -> {
          try {
            return Optional.of(
                Htpasswd.parse("", lines).stream()
                    .map(Htpasswd.User::name)
                    .collect(Collectors.toSet()));
          } catch (IllegalArgumentException e) {
            return Optional.empty();
          }
        });
  }

  private static Optional<List<String>> read(StringLit file) {
    try {
      Path path = Path.of(file.value());
      if (!path.isAbsolute() || !Files.isRegularFile(path)) {
        return Optional.empty();
      }
      return Optional.of(Files.readAllLines(path, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable here; the server reports it where it runs
    }
  }

  private void provider(GatewayStmt.BasicAuth p) {
    String name = p.name().value();
    if (!name.matches("[A-Za-z0-9._-]+")) {
      cx.error(
          BASIC_AUTH_INVALID_NAME,
          p.name().span(),
          "basic-auth name \""
              + name
              + "\" may only use letters, digits and . _ - (it names Envoy filters)");
    }
    for (BasicAuthField.UsersLiteral literal : p.all(BasicAuthField.UsersLiteral.class)) {
      // The value is never repeated in the message: it may hold a password or its hash.
      cx.error(
          BASIC_AUTH_IN_POLICY,
          literal.value().span(),
          "users and password hashes must not be written in a policy (policies live in version"
              + " control and in compiled output); put them in an htpasswd file on the server"
              + " (`htpasswd -cs /etc/meshgate/"
              + name
              + ".htpasswd alice`) and write `users file \"/etc/meshgate/"
              + name
              + ".htpasswd\"` here");
    }
    List<BasicAuthField.UsersFile> files = p.all(BasicAuthField.UsersFile.class);
    if (files.isEmpty() && p.all(BasicAuthField.UsersLiteral.class).isEmpty()) {
      cx.error(
          BASIC_AUTH_PROVIDER_INCOMPLETE,
          p.name().span(),
          "basic-auth \""
              + name
              + "\" has no `users file`, so no user can pass; write `users file"
              + " \"/etc/meshgate/"
              + name
              + ".htpasswd\"` (an htpasswd file on the server, made with `htpasswd -s`)");
    }
    for (BasicAuthField.UsersFile extra : files.stream().skip(1).toList()) {
      cx.error(
          BASIC_AUTH_PROVIDER_INCOMPLETE,
          extra.span(),
          "`users file` is written twice in basic-auth \""
              + name
              + "\"; the first is at "
              + cx.at(files.getFirst().span())
              + "; keep all users of one provider in one file");
    }
    for (BasicAuthField.UsersFile file : files) {
      if (file.kubernetesSecret()) {
        // The Secret is read by `serve --kubernetes` only: nothing to look into here.
        SecretReferences.problem(file.file().value(), "meshgate/" + name + "-users")
            .ifPresent(problem -> cx.error(BASIC_AUTH_RELATIVE_FILE, file.file().span(), problem));
        continue;
      }
      if (!file.file().value().startsWith("/")) {
        cx.error(
            BASIC_AUTH_RELATIVE_FILE,
            file.file().span(),
            "the users file must be an absolute path (`meshgate serve` reads it, from wherever it"
                + " runs), like \"/etc/meshgate/"
                + name
                + ".htpasswd\"");
        continue;
      }
      read(file.file())
          .ifPresent(lines -> {
            try {
              Htpasswd.parse(file.file().value(), lines);
            } catch (IllegalArgumentException e) {
              cx.warning(
                  BASIC_AUTH_USERS_FILE,
                  file.file().span(),
                  e.getMessage()
                      + " (as read here); `meshgate serve` would refuse this file and keep the"
                      + " users it last read");
            }
          });
    }
  }
}
