package dev.sourcevitess.domain.port;

import java.util.Objects;

/**
 * The tablets refused a filter rule naming a column the table no longer has (dropped or renamed
 * since the rule was made): no attempt with that rule can succeed, one without the column may.
 */
public final class ColumnGoneException extends ChangeStreamException {
  private final String table;
  private final String column;

  public ColumnGoneException(String table, String column, String message, Throwable cause) {
    super(Reason.COLUMN_GONE, message, cause);
    this.table = Objects.requireNonNull(table, "table");
    this.column = Objects.requireNonNull(column, "column");
  }

  public String table() {
    return table;
  }

  public String column() {
    return column;
  }
}
