package dev.sourcevitess.domain.model;

import java.util.Objects;

/** A stream as Airbyte names it: namespace (the keyspace) and table name. */
public record StreamId(String namespace, String name) {
  public StreamId {
    Objects.requireNonNull(namespace, "namespace");
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a stream needs a name");
    }
  }

  /** {@code keyspace.table}, or the table alone when the catalog gave no namespace. */
  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "." + name;
  }
}
