package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/** jwt (issue 12): one condition of a claim rule ({@code allow jwt claim … and scope …}). */
public sealed interface JwtCondition extends Node {
  /** {@code claim "role" = "admin"}: the claim is that string, or a list holding it. */
  record Claim(StringLit claim, StringLit value, Span span) implements JwtCondition {}

  /** {@code scope "orders:write"}: the space-separated {@code scope} claim holds it. */
  record Scope(StringLit scope, Span span) implements JwtCondition {}
}
