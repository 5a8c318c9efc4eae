package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.RowSnapshots;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads tables in primary-key pages ({@code WHERE key > last ORDER BY key LIMIT n}), each page
 * streamed row by row: memory stays flat, and a page is short enough that a long copy never holds
 * one query open for hours. Tables without a key, or whose key cannot be paged on exactly
 * ({@link Table#pagesByKey}: a FLOAT key prints rounded), are read with one streamed SELECT.
 */
final class KeysetRowSnapshots implements RowSnapshots {
  /** Large pages: each costs one index dive, so fewer pages mean less overhead. */
  static final int DEFAULT_PAGE_SIZE = 100_000;

  private static final int UNKNOWN_SYSTEM_VARIABLE = 1193;

  private final MysqlEndpoint endpoint;
  private final SqlFailures failures;
  private final int pageSize;

  KeysetRowSnapshots(MysqlEndpoint endpoint, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be at least 1");
    }
    this.endpoint = endpoint;
    this.failures = new SqlFailures(endpoint);
    this.pageSize = pageSize;
  }

  @Override
  public void scan(Table table, LastKey after, RowHandler handler) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(handler, "handler");
    if (after != null && !table.pagesByKey()) {
      throw new IllegalArgumentException("table " + table.name() + " cannot be resumed after a key");
    }
    byte[][] start = after == null ? null : startKey(table, after);
    KeysetQuery query = new KeysetQuery(table, pageSize);
    String activity = "reading table " + KeysetQuery.quote(table.name());
    Connection connection;
    try {
      connection = endpoint.connect();
    } catch (SQLException e) {
      throw failures.connecting(e);
    }
    boolean finished = false;
    Progress progress = new Progress();
    try {
      streamThroughVtgate(connection);
      ResultSetRow row = new ResultSetRow(table.columns().size());
      if (table.pagesByKey()) {
        readPages(connection, query, table, start, row, handler, progress);
      } else {
        readEverything(connection, query, row, handler, progress);
      }
      finished = true;
    } catch (SQLException e) {
      throw failures.reading(e, activity);
    } catch (OutOfMemoryError e) {
      // the driver holds a whole row; dropping the connection frees it before the row is measured
      abort(connection);
      throw new OversizedRow(endpoint, query, table).describe(progress.pageStart, progress.rowsIntoPage);
    } finally {
      if (finished) {
        closeQuietly(connection);
      } else {
        abort(connection);
      }
    }
  }

  /** Where a scan is: the key its page starts after (null: the first page) and the rows of that page handed on. */
  private static final class Progress {
    private byte[][] pageStart;
    private long rowsIntoPage;
  }

  private void readPages(Connection connection, KeysetQuery query, Table table, byte[][] start,
      ResultSetRow row, RowHandler handler, Progress progress) throws SQLException {
    int[] keyIndexes = table.primaryKey().stream().mapToInt(table::indexOf).toArray();
    byte[][] last = start;
    PreparedStatement next = null;
    while (true) {
      PreparedStatement page;
      if (last == null) {
        page = streaming(connection, query.firstPage());
      } else {
        if (next == null) {
          next = streaming(connection, query.nextPage());
        }
        query.bindAfter(next, last);
        page = next;
      }
      int rows = 0;
      byte[][] pageEnd = null;
      progress.pageStart = last;
      progress.rowsIntoPage = 0;
      // No try-with-resources: on failure the connection is aborted instead (see abort).
      ResultSet rs = page.executeQuery();
      DriverRows results = DriverRows.of(rs, row);
      while (results.next()) {
        rows++;
        if (rows == pageSize) {
          // a full page's last row: where the next page starts (the row itself is reused)
          pageEnd = new byte[keyIndexes.length][];
          for (int k = 0; k < keyIndexes.length; k++) {
            pageEnd[k] = row.copyOf(keyIndexes[k]);
          }
        }
        handler.onRow(row);
        progress.rowsIntoPage++;
      }
      rs.close();
      if (page != next) {
        page.close();
      }
      if (rows < pageSize) {
        break;
      }
      if (Arrays.deepEquals(pageEnd, last)) {
        // a key whose text does not round-trip would do this; such tables are not paged, but never loop
        throw new SourceException(FailureType.SYSTEM_ERROR,
            "reading table " + KeysetQuery.quote(table.name()) + " made no progress past its key "
                + table.primaryKey() + ": its key type cannot be paged exactly",
            "page of " + pageSize + " rows ended on the key it started after");
      }
      last = pageEnd;
    }
    if (next != null) {
      next.close();
    }
  }

  private static void readEverything(Connection connection, KeysetQuery query, ResultSetRow row,
      RowHandler handler, Progress progress) throws SQLException {
    // No try-with-resources: on failure the connection is aborted instead (see abort).
    PreparedStatement all = streaming(connection, query.everything());
    ResultSet rs = all.executeQuery();
    DriverRows results = DriverRows.of(rs, row);
    while (results.next()) {
      handler.onRow(row);
      progress.rowsIntoPage++;
    }
    rs.close();
    all.close();
  }

  /**
   * A forward-only, read-only statement with fetch size MIN_VALUE: mysql-connector-j's signal to
   * stream rows off the socket instead of buffering the whole result.
   */
  private static PreparedStatement streaming(Connection connection, String sql) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ps.setFetchSize(Integer.MIN_VALUE);
    return ps;
  }

  /**
   * VTGate caps results in its default OLTP workload (10,000 rows in Vitess, 100,000 in
   * PlanetScale) and buffers them; OLAP streams without a cap. Plain MySQL and MariaDB do not
   * know the variable, and need nothing.
   */
  private static void streamThroughVtgate(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET workload = 'OLAP'");
    } catch (SQLException e) {
      if (e.getErrorCode() != UNKNOWN_SYSTEM_VARIABLE) {
        throw e;
      }
    }
  }

  /** The resume key in key order, checked against the table's current key. */
  private static byte[][] startKey(Table table, LastKey after) {
    List<String> saved = after.values().stream().map(KeyValue::column).toList();
    if (!saved.equals(table.primaryKey())) {
      throw new SourceException(FailureType.CONFIG_ERROR,
          "the saved position of table " + table.name() + " is on columns " + saved
              + " but its primary key is now " + table.primaryKey() + ": reset the stream to copy it again",
          "");
    }
    byte[][] key = new byte[saved.size()][];
    for (int k = 0; k < key.length; k++) {
      key[k] = after.values().get(k).value();
      if (key[k] == null) {
        throw new SourceException(FailureType.SYSTEM_ERROR,
            "the saved position of table " + table.name() + " has NULL for key column " + saved.get(k),
            "primary key columns cannot hold NULL");
      }
    }
    return key;
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the scan is complete; a failing goodbye changes nothing
    }
  }

  /**
   * Drops the connection without reading what remains of a streamed result: closing a streamed
   * result set first reads it to its end, which can be the rest of a whole table.
   */
  private static void abort(Connection connection) {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException ignored) {
      closeQuietly(connection);
    }
  }
}
