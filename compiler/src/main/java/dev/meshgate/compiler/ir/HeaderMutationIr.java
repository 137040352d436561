package dev.meshgate.compiler.ir;

/** {@code set|remove request-header|response-header NAME [= "value"]}. */
public sealed interface HeaderMutationIr {
  enum Direction {
    REQUEST,
    RESPONSE
  }

  Direction direction();

  String name();

  record Set(Direction direction, String name, String value) implements HeaderMutationIr {}

  record Remove(Direction direction, String name) implements HeaderMutationIr {}
}
