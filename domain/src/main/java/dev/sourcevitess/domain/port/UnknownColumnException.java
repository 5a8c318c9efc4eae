package dev.sourcevitess.domain.port;

import java.util.Objects;

/**
 * The tablets refused a filter rule naming a column that rows in the stream lack (written before
 * it was added, or after it was dropped or renamed): no attempt with that rule can pass them, one
 * of every column ({@code SELECT *}) can.
 */
public final class UnknownColumnException extends ChangeStreamException {
  private final String table;
  private final String column;

  public UnknownColumnException(String table, String column, String message, Throwable cause) {
    super(Reason.UNKNOWN_COLUMN, message, cause);
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
