package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * compression (issue 13): a route's responses of {@code contentTypes} with at least {@code
 * minBytes} are compressed with the first of {@code algorithms} ({@code gzip}, {@code brotli}) the
 * client accepts, preferred in the order written.
 */
public record CompressionIr(List<String> algorithms, List<String> contentTypes, long minBytes) {
  public CompressionIr {
    algorithms = List.copyOf(algorithms);
    contentTypes = List.copyOf(contentTypes);
  }
}
