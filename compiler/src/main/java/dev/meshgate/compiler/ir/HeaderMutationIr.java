package dev.meshgate.compiler.ir;

/** {@code set|add|remove request-header|response-header NAME [= "value"]}. */
public sealed interface HeaderMutationIr {
  enum Direction {
    REQUEST,
    RESPONSE
  }

  Direction direction();

  String name();

  record Set(Direction direction, String name, String value) implements HeaderMutationIr {}

  record Remove(Direction direction, String name) implements HeaderMutationIr {}

  /** Appends a value; the header's other values stay. */
  record Add(Direction direction, String name, String value) implements HeaderMutationIr {}
}
