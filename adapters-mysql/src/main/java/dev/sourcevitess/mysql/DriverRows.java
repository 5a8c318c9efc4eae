package dev.sourcevitess.mysql;

import com.mysql.cj.exceptions.CJException;
import com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping;
import com.mysql.cj.jdbc.result.ResultSetImpl;
import com.mysql.cj.protocol.ResultsetRows;
import com.mysql.cj.result.Row;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Walks a streamed result set through mysql-connector-j's own row list instead of
 * {@code ResultSet.next} and {@code getBytes}, which take the connection's lock for every row and
 * every value: on a million-row copy those two calls were a third of the connector's time. The
 * list and its rows are the driver's public API, reached by {@code unwrap}; a result set that is
 * not the driver's own is read through JDBC.
 */
final class DriverRows {
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

  /** True when rows come from the driver's row list, false when through JDBC. */
  boolean direct() {
    return rows != null;
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
}
