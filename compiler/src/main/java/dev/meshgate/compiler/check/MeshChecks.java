package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.MeshDecl;
import dev.meshgate.compiler.ast.MeshStmt;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.StringLit;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The mesh block: trust domain, mTLS mode, authorization default. */
final class MeshChecks {
  private final CheckContext cx;
  private final Values values;

  MeshChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  void mesh() {
    MeshDecl first = null;
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        if (!(decl instanceof MeshDecl mesh)) {
          continue;
        }
        mesh.name().ifPresent(n -> values.name(n, "mesh"));
        if (first != null) {
          cx.error(
              DUPLICATE_MESH,
              mesh.span(),
              "duplicate mesh block; it is first declared at "
                  + cx.at(first.span())
                  + "; a policy has one mesh");
        }
        Map<String, MeshStmt> seen = new HashMap<>();
        for (MeshStmt stmt : mesh.body()) {
          MeshStmt before = seen.putIfAbsent(stmt.keyword(), stmt);
          if (before != null) {
            cx.error(
                DUPLICATE_MESH_SETTING,
                stmt.span(),
                "duplicate `"
                    + stmt.keyword()
                    + "` in the mesh block; the first is at "
                    + cx.at(before.span()));
            continue;
          }
          switch (stmt) {
            case MeshStmt.TrustDomain t -> checkTrustDomain(t.domain());
            case MeshStmt.Mtls m -> {
              switch (m.mode().text()) {
                case "strict" -> cx.strictMtls = first == null ? true : cx.strictMtls;
                case "permissive" -> cx.strictMtls = first == null ? false : cx.strictMtls;
                default ->
                    cx.error(
                        UNKNOWN_MTLS_MODE,
                        m.mode().span(),
                        "unknown mtls mode \""
                            + m.mode().text()
                            + "\"; use strict (only mTLS) or permissive (mTLS and plaintext)");
              }
            }
            case MeshStmt.AuthzDefault a -> {
              switch (a.value().text()) {
                case "deny" -> cx.defaultDeny = first == null ? true : cx.defaultDeny;
                case "allow" -> cx.defaultDeny = first == null ? false : cx.defaultDeny;
                default ->
                    cx.error(
                        UNKNOWN_AUTHZ_DEFAULT,
                        a.value().span(),
                        "unknown authz default \""
                            + a.value().text()
                            + "\"; use deny (a request needs an allow rule) or allow");
              }
            }
          }
        }
        if (first == null) {
          first = mesh;
        }
      }
    }
  }

  /**
   * SPIFFE trust domains: lower-case letters, digits, '.', '-' and '_'; no scheme, port or path.
   */
  private static final Pattern TRUST_DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?");

  void checkTrustDomain(StringLit domain) {
    if (!TRUST_DOMAIN.matcher(domain.value()).matches()) {
      cx.error(
          INVALID_TRUST_DOMAIN,
          domain.span(),
          "invalid trust domain \""
              + domain.value()
              + "\"; write a lower-case name like \"shop.example\" (letters, digits,"
              + " '.', '-', '_'), without \"spiffe://\", port or path");
    }
  }
}
