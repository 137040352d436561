package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/**
 * One part of {@code redirect [STATUS] PART…}: what the redirect changes in the URL the client
 * asked for; everything not written stays as the client sent it.
 */
public sealed interface RedirectPart extends Node {
  /** How the part is written, for messages ("host", "prefix", "https"). */
  String keyword();

  /** {@code host "b.example"}. */
  record Host(StringLit host, Span span) implements RedirectPart {
    @Override
    public String keyword() {
      return "host";
    }
  }

  /** {@code port 8443}. */
  record Port(NumberLit port, Span span) implements RedirectPart {
    @Override
    public String keyword() {
      return "port";
    }
  }

  /** {@code path "/new"}: the whole path. */
  record Path(StringLit path, Span span) implements RedirectPart {
    @Override
    public String keyword() {
      return "path";
    }
  }

  /** {@code prefix "/new/"}: the part of the path the route's {@code /…/**} matched. */
  record Prefix(StringLit prefix, Span span) implements RedirectPart {
    @Override
    public String keyword() {
      return "prefix";
    }
  }

  /** A bare word: {@code http}, {@code https} or {@code strip-query} (the checker knows which). */
  record Word(Name word, Span span) implements RedirectPart {
    @Override
    public String keyword() {
      return word.text();
    }
  }
}
