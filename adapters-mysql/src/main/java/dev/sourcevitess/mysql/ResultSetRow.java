package dev.sourcevitess.mysql;

import com.mysql.cj.result.Row;
import dev.sourcevitess.domain.model.RawRow;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The current row of a result set as a {@link RawRow}. One instance serves a whole scan; each
 * load replaces the values, which is why handlers may only read it during their call.
 *
 * <p>Over the text protocol each value is the server's own text (the raw bytes for binary and BIT
 * columns), copied by the driver with no conversion.
 */
final class ResultSetRow implements RawRow {
  private static final byte[] EMPTY = new byte[0];

  private final byte[][] values;

  ResultSetRow(int columnCount) {
    this.values = new byte[columnCount][];
  }

  /** Takes the current row of a JDBC result set. */
  void load(ResultSet rs) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      values[i] = rs.getBytes(i + 1);
    }
  }

  /** Takes a row of the driver's row list (see {@link DriverRows}). */
  void load(Row row) {
    for (int i = 0; i < values.length; i++) {
      values[i] = row.getNull(i) ? null : row.getBytes(i);
    }
  }

  /** A column's value that outlives the row (null for NULL). */
  byte[] copyOf(int column) {
    byte[] v = values[column];
    return v == null ? null : v.clone();
  }

  @Override
  public int columnCount() {
    return values.length;
  }

  @Override
  public boolean isNull(int column) {
    return values[column] == null;
  }

  @Override
  public byte[] buffer(int column) {
    byte[] v = values[column];
    return v == null ? EMPTY : v;
  }

  @Override
  public int offset(int column) {
    return 0;
  }

  @Override
  public int length(int column) {
    byte[] v = values[column];
    return v == null ? 0 : v.length;
  }
}
