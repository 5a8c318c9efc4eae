package dev.sourcevitess.domain.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A base table of the keyspace.
 *
 * @param primaryKey the key's columns in key order; empty for a table without a key
 * @param rowEstimate rows as {@code information_schema} estimates them
 * @param byteEstimate data length as {@code information_schema} estimates it
 */
public record Table(String name, List<Column> columns, List<String> primaryKey, long rowEstimate, long byteEstimate) {
  public Table {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a table needs a name");
    }
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " has no columns");
    }
    Set<String> names = new HashSet<>();
    for (Column c : columns) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("table " + name + " lists column " + c.name() + " twice");
      }
    }
    for (String key : primaryKey) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException("key column " + key + " is not a column of " + name);
      }
    }
  }

  /** The position of a column, or -1. */
  public int indexOf(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  public Column column(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + name + " in " + this.name);
    }
    return columns.get(i);
  }

  public List<Column> keyColumns() {
    return primaryKey.stream().map(this::column).toList();
  }

  public boolean hasPrimaryKey() {
    return !primaryKey.isEmpty();
  }

  /**
   * Whether a read can go on after a key ({@code key > last}): the table has a primary key and
   * every key column's value, as MySQL prints it, is the stored value exactly. A FLOAT or DOUBLE
   * prints rounded ({@code 1.9999999} as {@code 2}), so {@code > 2} would skip rows: such tables
   * are read in one pass and their copies restart from the beginning.
   */
  public boolean pagesByKey() {
    return hasPrimaryKey() && keyColumns().stream().allMatch(c -> c.type().printsExactly());
  }

  /**
   * The table as a read needs it: only the {@code selected} columns, in table order, and the key
   * columns always (resuming goes by them). All of it when nothing is selected, as Airbyte means
   * by an empty selection; names that are not columns (any more) are ignored.
   */
  public Table narrowedTo(Set<String> selected) {
    if (selected.isEmpty()) {
      return this;
    }
    List<Column> kept = columns.stream()
        .filter(c -> selected.contains(c.name()) || primaryKey.contains(c.name()))
        .toList();
    // a catalog naming none of the columns (all renamed since) still reads the table, as before
    if (kept.size() == columns.size() || kept.isEmpty()) {
      return this;
    }
    return new Table(name, kept, primaryKey, rowEstimate, byteEstimate);
  }

  /**
   * The columns a configured selection leaves out: none when {@code selected} is empty (Airbyte's
   * "everything") or names every column. A column added after the catalog was configured is
   * among them, until the catalog is refreshed.
   */
  public List<String> unlisted(Set<String> selected) {
    if (selected.isEmpty()) {
      return List.of();
    }
    return columns.stream().map(Column::name).filter(name -> !selected.contains(name)).toList();
  }

  /**
   * The columns of {@code selected} the table no longer has (dropped or renamed since the catalog
   * was configured), leaving out the columns the connector adds to records.
   */
  public List<String> missing(Set<String> selected) {
    Set<String> present = new HashSet<>(columnNames());
    return selected.stream().filter(name -> !present.contains(name) && !RecordLayout.ADDED.contains(name))
        .sorted().toList();
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

}
