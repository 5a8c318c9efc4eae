package dev.sourcevitess.mysql;

import com.mysql.cj.result.Row;
import dev.sourcevitess.domain.model.RawRow;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The current row of a result set as a {@link RawRow}. One instance serves a whole scan; each
 * load replaces the values, which is why handlers may only read it during their call.
 *
 * <p>Loaded from the driver's row packet when it can be read ({@link DriverRows}), the values are
 * spans of that packet, as the server sent them: no copy and no allocation per value. Otherwise
 * each value is the driver's own copy ({@code getBytes}).
 */
final class ResultSetRow implements RawRow {
  private static final byte[] EMPTY = new byte[0];

  private final byte[][] values;
  private final int[] offsets;
  /** In packet mode, each value's length; -1 is NULL. */
  private final int[] lengths;
  /** The row packet, or null when the values are copies. */
  private byte[] packet;

  ResultSetRow(int columnCount) {
    this.values = new byte[columnCount][];
    this.offsets = new int[columnCount];
    this.lengths = new int[columnCount];
  }

  /**
   * Takes the current row. Over the text protocol getBytes is the server's own text of each value
   * (the raw bytes for binary and BIT columns), with no conversion by the driver.
   */
  void load(ResultSet rs) throws SQLException {
    packet = null;
    for (int i = 0; i < values.length; i++) {
      values[i] = rs.getBytes(i + 1);
    }
  }

  /** Takes a row of the driver's row list: the packet itself when it can, else copies. */
  void load(Row row) {
    if (DriverRows.readPacket(row, this)) {
      return;
    }
    packet = null;
    for (int i = 0; i < values.length; i++) {
      values[i] = row.getNull(i) ? null : row.getBytes(i);
    }
  }

  /**
   * Points the row at a text-protocol row packet: each value a length-encoded string from
   * {@code position}, {@code 0xFB} for NULL. False, and nothing changed, when it does not hold
   * exactly this row's columns within {@code end}.
   */
  boolean loadPacket(byte[] bytes, int position, int end) {
    int at = position;
    for (int i = 0; i < lengths.length; i++) {
      if (at >= end) {
        return false;
      }
      int first = bytes[at++] & 0xFF;
      long length;
      if (first < 0xFB) {
        length = first;
      } else if (first == 0xFB) {
        offsets[i] = at;
        lengths[i] = -1;
        continue;
      } else if (first == 0xFC && at + 2 <= end) {
        length = (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
        at += 2;
      } else if (first == 0xFD && at + 3 <= end) {
        length = (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16;
        at += 3;
      } else if (first == 0xFE && at + 8 <= end) {
        length = 0;
        for (int k = 7; k >= 0; k--) {
          length = length << 8 | (bytes[at + k] & 0xFF);
        }
        at += 8;
      } else {
        return false;
      }
      if (length < 0 || length > end - at) {
        return false;
      }
      offsets[i] = at;
      lengths[i] = (int) length;
      at += (int) length;
    }
    if (at != end) {
      return false;
    }
    packet = bytes;
    return true;
  }

  /** A copy of a column's value that outlives the row (null for NULL). */
  byte[] copyOf(int column) {
    if (isNull(column)) {
      return null;
    }
    byte[] copy = new byte[length(column)];
    System.arraycopy(buffer(column), offset(column), copy, 0, copy.length);
    return copy;
  }

  @Override
  public int columnCount() {
    return values.length;
  }

  @Override
  public boolean isNull(int column) {
    return packet != null ? lengths[column] < 0 : values[column] == null;
  }

  @Override
  public byte[] buffer(int column) {
    if (packet != null) {
      return packet;
    }
    byte[] v = values[column];
    return v == null ? EMPTY : v;
  }

  @Override
  public int offset(int column) {
    return packet != null ? offsets[column] : 0;
  }

  @Override
  public int length(int column) {
    if (packet != null) {
      return Math.max(0, lengths[column]);
    }
    byte[] v = values[column];
    return v == null ? 0 : v.length;
  }
}
