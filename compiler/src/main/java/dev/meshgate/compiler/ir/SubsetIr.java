package dev.meshgate.compiler.ir;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** A named slice of a service's endpoints: those whose labels include every selector entry. */
public record SubsetIr(String name, SortedMap<String, String> selector) {
  public SubsetIr {
    selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }
}
