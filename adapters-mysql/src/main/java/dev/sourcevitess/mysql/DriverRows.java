package dev.sourcevitess.mysql;

import com.mysql.cj.exceptions.CJException;
import com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping;
import com.mysql.cj.jdbc.result.ResultSetImpl;
import com.mysql.cj.protocol.ResultsetRows;
import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.result.AbstractBufferRow;
import com.mysql.cj.result.Row;
import java.lang.reflect.Field;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Walks a streamed result set through mysql-connector-j's own row list instead of
 * {@code ResultSet.next} and {@code getBytes}, which take the connection's lock and copy every
 * value: the cost of a million-row copy was a third in those two calls. Each row is read straight
 * from its packet, in the text protocol's layout (length-encoded strings, 0xFB for NULL).
 *
 * <p>The packet is reached through two protected fields of the driver's buffer rows. Should a
 * driver version not have them, or hand out another kind of row, rows are read through the
 * driver's public row API instead, and should it not offer that either, through JDBC: slower,
 * never wrong.
 */
final class DriverRows {
  private static final Field PACKET = field("rowFromServer");
  private static final Field START = field("homePosition");

  private final ResultSet rs;
  private final ResultsetRows rows;
  private final ResultSetRow row;

  private DriverRows(ResultSet rs, ResultsetRows rows, ResultSetRow row) {
    this.rs = rs;
    this.rows = rows;
    this.row = row;
  }

  /** The rows of {@code rs}, loaded one by one into {@code row}. */
  static DriverRows of(ResultSet rs, ResultSetRow row) {
    ResultsetRows rows = null;
    try {
      if (rs.isWrapperFor(ResultSetImpl.class)) {
        rows = rs.unwrap(ResultSetImpl.class).getRows();
      }
    } catch (SQLException | RuntimeException notTheDriversOwn) {
      rows = null;
    }
    return new DriverRows(rs, rows, row);
  }

  /** Loads the next row; false at the end. */
  boolean next() throws SQLException {
    if (rows == null) {
      if (!rs.next()) {
        return false;
      }
      row.load(rs);
      return true;
    }
    Row next;
    try {
      next = rows.next();
    } catch (CJException e) {
      // what ResultSet.next would have thrown
      throw SQLExceptionsMapping.translateException(e);
    }
    if (next == null) {
      return false;
    }
    row.load(next);
    return true;
  }

  /** Points {@code into} at the packet of {@code row}; false when that cannot be done. */
  static boolean readPacket(Row row, ResultSetRow into) {
    if (PACKET == null || START == null || !(row instanceof AbstractBufferRow)) {
      return false;
    }
    try {
      NativePacketPayload packet = (NativePacketPayload) PACKET.get(row);
      int start = START.getInt(row);
      return packet != null && into.loadPacket(packet.getByteBuffer(), start, packet.getPayloadLength());
    } catch (IllegalAccessException | RuntimeException e) {
      return false;
    }
  }

  private static Field field(String name) {
    try {
      Field field = AbstractBufferRow.class.getDeclaredField(name);
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException | RuntimeException e) {
      return null;
    }
  }
}
