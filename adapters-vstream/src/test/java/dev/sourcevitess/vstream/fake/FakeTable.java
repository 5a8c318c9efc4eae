package dev.sourcevitess.vstream.fake;

import java.util.List;
import java.util.TreeMap;

/** A table's rows by primary key; used under the model's lock only. */
final class FakeTable {
  private final TableDef def;
  private final TreeMap<List<String>, List<String>> rows;

  FakeTable(TableDef def) {
    this.def = def;
    this.rows = new TreeMap<>(def.keyOrder());
  }

  TableDef def() {
    return def;
  }

  TreeMap<List<String>, List<String>> rows() {
    return rows;
  }

  void insert(List<String> row) {
    def.check(row);
    List<String> key = def.keyOf(row);
    if (rows.containsKey(key)) {
      throw new IllegalArgumentException("duplicate key " + key + " in " + def.name());
    }
    rows.put(key, nullSafe(row));
  }

  /** @return the row it replaced */
  List<String> update(List<String> row) {
    def.check(row);
    List<String> key = def.keyOf(row);
    List<String> before = rows.get(key);
    if (before == null) {
      throw new IllegalArgumentException("no row with key " + key + " in " + def.name());
    }
    rows.put(key, nullSafe(row));
    return before;
  }

  /** @return the deleted row */
  List<String> delete(List<String> key) {
    List<String> before = rows.remove(key);
    if (before == null) {
      throw new IllegalArgumentException("no row with key " + key + " in " + def.name());
    }
    return before;
  }

  /** Rows keep NULLs, which List.copyOf refuses. */
  private static List<String> nullSafe(List<String> row) {
    return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(row));
  }
}
