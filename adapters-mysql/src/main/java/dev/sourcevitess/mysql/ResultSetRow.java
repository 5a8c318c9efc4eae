package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.RawRow;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The current row of a result set as a {@link RawRow}. One instance serves a whole scan; each
 * {@link #load} replaces the values, which is why handlers may only read it during their call.
 */
final class ResultSetRow implements RawRow {
  private static final byte[] EMPTY = new byte[0];

  private final byte[][] values;

  ResultSetRow(int columnCount) {
    this.values = new byte[columnCount][];
  }

  /**
   * Takes the current row. Over the text protocol getBytes is the server's own text of each value
   * (the raw bytes for binary and BIT columns), with no conversion by the driver.
   */
  void load(ResultSet rs) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      values[i] = rs.getBytes(i + 1);
    }
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
