package dev.sourcevitess.vstream.fake;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A fake table: its columns and primary key. Rows are lists of MySQL text values (null = NULL). */
public record TableDef(String name, List<ColumnDef> columns, List<String> primaryKey) {
  public TableDef {
    Objects.requireNonNull(name, "name");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    if (columns.isEmpty() || primaryKey.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " needs columns and a primary key");
    }
    for (String key : primaryKey) {
      if (columns.stream().noneMatch(c -> c.name().equals(key))) {
        throw new IllegalArgumentException("primary key column " + key + " is not a column of " + name);
      }
    }
  }

  /** {@code TableDef.of("t", List.of("id"), notNull("id", "bigint"), nullable("v", "text"))}. */
  public static TableDef of(String name, List<String> primaryKey, ColumnDef... columns) {
    return new TableDef(name, List.of(columns), primaryKey);
  }

  public int indexOf(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + name);
  }

  /** This table as a SELECT of {@code names} shows it; the key must be among them. */
  TableDef narrowedTo(List<String> names) {
    return new TableDef(name, names.stream().map(n -> columns.get(indexOf(n))).toList(), primaryKey);
  }

  /** The values of {@code shown}'s columns in a row of this table. */
  List<String> valuesFor(TableDef shown, List<String> row) {
    List<String> values = new ArrayList<>(shown.columns().size());
    for (ColumnDef column : shown.columns()) {
      values.add(row.get(indexOf(column.name())));
    }
    return values;
  }

  List<String> keyOf(List<String> row) {
    List<String> key = new ArrayList<>(primaryKey.size());
    for (String column : primaryKey) {
      key.add(row.get(indexOf(column)));
    }
    return key;
  }

  List<ColumnDef> keyColumns() {
    return primaryKey.stream().map(k -> columns.get(indexOf(k))).toList();
  }

  /** Primary-key order as MySQL sorts it: numbers as numbers, text as text. */
  Comparator<List<String>> keyOrder() {
    List<ColumnDef> keys = keyColumns();
    return (a, b) -> {
      for (int i = 0; i < keys.size(); i++) {
        int c = keys.get(i).numeric()
            ? new BigDecimal(a.get(i)).compareTo(new BigDecimal(b.get(i)))
            : a.get(i).compareTo(b.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }

  void check(List<String> row) {
    if (row.size() != columns.size()) {
      throw new IllegalArgumentException(name + " has " + columns.size() + " columns, not " + row.size());
    }
    for (int i = 0; i < row.size(); i++) {
      if (row.get(i) == null && (!columns.get(i).nullable() || primaryKey.contains(columns.get(i).name()))) {
        throw new IllegalArgumentException(name + "." + columns.get(i).name() + " cannot be NULL");
      }
    }
  }
}
