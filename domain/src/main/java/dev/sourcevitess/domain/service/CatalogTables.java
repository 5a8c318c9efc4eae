package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured streams' tables as the schema has them now. A stream whose table is gone (dropped,
 * renamed, or a catalog from another database) is set aside: the others are still read, and the
 * sync fails at its end with a message naming every missing table.
 */
final class CatalogTables {
  private final String keyspace;
  private final Map<ConfiguredStream, Table> found = new LinkedHashMap<>();
  private final List<ConfiguredStream> missing = new ArrayList<>();

  CatalogTables(String keyspace, List<ConfiguredStream> catalog, List<Table> schema) {
    this.keyspace = keyspace;
    Map<String, Table> byName = new HashMap<>();
    schema.forEach(t -> byName.put(t.name(), t));
    for (ConfiguredStream stream : catalog) {
      Table table = byName.get(stream.id().name());
      if (table == null) {
        missing.add(stream);
      } else {
        found.put(stream, table);
      }
    }
  }

  /** The streams whose table exists, in catalog order, with their tables. */
  Map<ConfiguredStream, Table> found() {
    return found;
  }

  /** The streams whose table does not exist, in catalog order. */
  List<ConfiguredStream> missing() {
    return missing;
  }

  /** Said in the log as soon as it is known, and again as the sync's error at its end. */
  Optional<SourceException> failure() {
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = missing.stream().map(s -> s.id().name()).toList();
    return Optional.of(SourceException.config("There is no table " + String.join(", ", names) + " in "
        + keyspace + "; refresh the source schema."));
  }
}
