package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.BasicAuthField;
import dev.meshgate.compiler.ir.BasicAuthIr;
import dev.meshgate.compiler.ir.CredentialSourceIr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** basic auth (issue 12): a gateway's {@code basic-auth} blocks, sorted by name. */
final class BasicAuthLowering {
  private BasicAuthLowering() {}

  /** The checker made sure each block has exactly one {@code users file}, an absolute path. */
  static List<BasicAuthIr.ProviderIr> providers(GatewayDecl gateway) {
    List<BasicAuthIr.ProviderIr> providers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.BasicAuth p && seen.add(p.name().value())) {
        BasicAuthField.UsersFile users = p.all(BasicAuthField.UsersFile.class).getFirst();
        providers.add(
            new BasicAuthIr.ProviderIr(
                p.name().value(),
                CredentialSourceIr.of(users.file().value(), users.kubernetesSecret())));
      }
    }
    providers.sort(Comparator.comparing(BasicAuthIr.ProviderIr::name));
    return List.copyOf(providers);
  }
}
