package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/**
 * The route statements that say who may call a route (issue 12): which authentication it requires
 * and the authorization rules on a verified token. Apart from {@link RouteStmt} so each file stays
 * readable; they are route statements like any other.
 */
public sealed interface RouteAuth extends RouteStmt {

  /**
   * jwt (issue 12): {@code require jwt "provider" [optional]}, or {@code require none} (no
   * provider: the route needs no token even where its host or gateway requires one).
   */
  record RequireJwt(Optional<StringLit> provider, boolean optional, Span span)
      implements RouteAuth {
    @Override
    public String keyword() {
      return "require";
    }

    /** {@code require none}. */
    public boolean none() {
      return provider.isEmpty();
    }
  }

  /**
   * external authorization (issue 12): {@code require ext-authz "name"} (the named service decides
   * each request) or {@code ext-authz off} ({@code provider} empty, {@code word} the word written
   * after {@code ext-authz}, which the checker wants to be {@code off}).
   */
  record RequireExtAuthz(Optional<StringLit> provider, Optional<Name> word, Span span)
      implements RouteAuth {
    @Override
    public String keyword() {
      return "ext-authz";
    }

    /** {@code ext-authz off}. */
    public boolean off() {
      return provider.isEmpty();
    }
  }

  /**
   * api keys (issue 12): {@code require api-key "provider" [clients "acme", "globex"]}: a request
   * needs a key of the provider (401 without), from one of the clients when they are listed (403
   * for another client).
   */
  record RequireApiKey(StringLit provider, List<StringLit> clients, Span span)
      implements RouteAuth {
    public RequireApiKey {
      clients = List.copyOf(clients);
    }

    @Override
    public String keyword() {
      return "require api-key";
    }
  }

  /**
   * oidc login (issue 12): {@code require oidc "provider"}: a browser without a session is sent to
   * the provider to log in. {@code require none} (a {@link RequireJwt} without provider) lifts it.
   */
  record RequireOidc(StringLit provider, Span span) implements RouteAuth {
    @Override
    public String keyword() {
      return "require oidc";
    }
  }

  /**
   * basic auth (issue 12): {@code require basic-auth "provider" [users "alice", "bob"]}: a request
   * needs a user name and password of the provider's users file (401 without), of one of the users
   * when they are listed.
   */
  record RequireBasicAuth(StringLit provider, List<StringLit> users, Span span)
      implements RouteAuth {
    public RequireBasicAuth {
      users = List.copyOf(users);
    }

    @Override
    public String keyword() {
      return "require basic-auth";
    }
  }

  /**
   * jwt (issue 12): {@code allow|deny jwt claim "role" = "admin" [and scope "read" …]}:
   * authorization on the verified token's claims, in the mesh's allow/deny model (every condition
   * of one rule must hold).
   */
  record JwtRule(boolean allow, List<JwtCondition> conditions, Span span) implements RouteAuth {
    public JwtRule {
      conditions = List.copyOf(conditions);
    }

    @Override
    public String keyword() {
      return allow ? "allow jwt" : "deny jwt";
    }
  }
}
