package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.Table;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SELECTs of one table's scan. "After key (a, b)" is spelled {@code a > ? OR (a = ? AND b > ?)}:
 * MySQL and MariaDB both turn that into an index range on the primary key, while MariaDB scans
 * the index from its start for the row constructor {@code (a, b) > (?, ?)}.
 */
final class KeysetQuery {
  private final List<Column> keyColumns;
  private final List<KeyBinding> bindings;
  private final String everything;
  private final String firstPage;
  private final String nextPage;
  private final String firstRowLengths;
  private final String nextRowLengths;

  KeysetQuery(Table table, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be at least 1");
    }
    this.keyColumns = table.keyColumns();
    this.bindings = keyColumns.stream().map(c -> KeyBinding.of(c.type())).toList();
    String select = "SELECT "
        + table.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "))
        + " FROM " + quote(table.name());
    String orderBy = " ORDER BY "
        + keyColumns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "))
        + " LIMIT " + pageSize;
    this.everything = select;
    this.firstPage = keyColumns.isEmpty() ? null : select + orderBy;
    this.nextPage = keyColumns.isEmpty() ? null : select + " WHERE " + after(keyColumns) + orderBy;
    String lengths = "SELECT "
        + keyColumns.stream().map(c -> quote(c.name()) + ", ").collect(Collectors.joining())
        + table.columns().stream().map(c -> "LENGTH(" + quote(c.name()) + ")").collect(Collectors.joining(", "))
        + " FROM " + quote(table.name());
    String oneRow = " LIMIT 1 OFFSET ?";
    // the order the scan reads in: key order when it pages, the server's own otherwise
    String keyOrder = !table.pagesByKey() ? ""
        : " ORDER BY " + keyColumns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    this.firstRowLengths = lengths + keyOrder + oneRow;
    this.nextRowLengths = keyColumns.isEmpty() ? null : lengths + " WHERE " + after(keyColumns) + keyOrder + oneRow;
  }

  /**
   * The key and the byte length of every column of one row, the row {@code OFFSET ?} rows into
   * the first page (or the table, without a key), or into the page after a key bound with
   * {@link #bindAfter}: a row measured without being read.
   */
  String rowLengths(boolean afterKey) {
    return afterKey ? nextRowLengths : firstRowLengths;
  }

  List<Column> keyColumns() {
    return keyColumns;
  }

  /** The whole table in no particular order, for tables without a key. */
  String everything() {
    return everything;
  }

  String firstPage() {
    return firstPage;
  }

  /** The page after a key; bind it with {@link #bindAfter}. */
  String nextPage() {
    return nextPage;
  }

  /**
   * Binds {@code key} (values in key order, text or bytes as rows carry them) into {@link #nextPage}.
   *
   * @return the number of the next parameter
   */
  int bindAfter(PreparedStatement ps, byte[][] key) throws SQLException {
    int parameter = 1;
    for (int term = 0; term < keyColumns.size(); term++) {
      for (int k = 0; k <= term; k++) {
        bindings.get(k).bind(ps, parameter++, keyColumns.get(k), key[k]);
      }
    }
    return parameter;
  }

  /** A backtick-quoted identifier; backticks inside are doubled. */
  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  private static String after(List<Column> key) {
    StringBuilder sql = new StringBuilder();
    for (int term = 0; term < key.size(); term++) {
      if (term > 0) {
        sql.append(" OR ");
      }
      sql.append('(');
      for (int k = 0; k < term; k++) {
        sql.append(quote(key.get(k).name())).append(" = ? AND ");
      }
      sql.append(quote(key.get(term).name())).append(" > ?)");
    }
    return sql.toString();
  }
}
