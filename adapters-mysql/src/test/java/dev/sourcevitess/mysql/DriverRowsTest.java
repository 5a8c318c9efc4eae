package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.Table;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streamed rows are read from the driver's row list, not through ResultSet.next: should a new
 * mysql-connector-j version stop offering it, scans still work (through JDBC) but this test says
 * the fast path is gone.
 */
class DriverRowsTest {
  @Test
  void aStreamedScanReadsTheDriversRowListAndAgreesWithJdbc() throws Exception {
    try (TestDatabase db = TestDatabase.create("driver_rows")) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(300) NULL, note MEDIUMTEXT NULL);"
          + " INSERT INTO t VALUES (1, 'one', NULL), (2, REPEAT('é', 150), ''), (3, NULL, REPEAT('x', 70000))");
      MysqlEndpoint endpoint = new MysqlEndpoint(db.config());
      Table table = new InformationSchemaReader(endpoint, true).tables().get(0);
      List<String> rows = new ArrayList<>();
      new KeysetRowSnapshots(endpoint, 2).scan(table, null, row -> rows.add(text(row)));
      assertEquals(List.of("1|one|NULL", "2|" + "é".repeat(150) + "|", "3|NULL|" + "x".repeat(70000)), rows);

      try (Connection connection = endpoint.connect();
          PreparedStatement ps = connection.prepareStatement("SELECT * FROM t ORDER BY id",
              ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(Integer.MIN_VALUE);
        ResultSetRow row = new ResultSetRow(3);
        DriverRows results = DriverRows.of(ps.executeQuery(), row);
        assertTrue(results.direct(), "rows come from the driver's row list");
        List<String> direct = new ArrayList<>();
        while (results.next()) {
          direct.add(text(row));
        }
        assertEquals(rows, direct);
      }
    }
  }

  @Test
  void aKeyCopiedOutOfARowOutlivesIt() throws Exception {
    try (TestDatabase db = TestDatabase.create("driver_rows_copy")) {
      db.execute("CREATE TABLE t (id VARCHAR(8) PRIMARY KEY, v INT NULL); INSERT INTO t VALUES ('a', NULL), ('b', 2)");
      try (Connection connection = new MysqlEndpoint(db.config()).connect();
          PreparedStatement ps = connection.prepareStatement("SELECT * FROM t ORDER BY id")) {
        ResultSetRow row = new ResultSetRow(2);
        DriverRows results = DriverRows.of(ps.executeQuery(), row);
        assertTrue(results.next());
        byte[] first = row.copyOf(0);
        assertNull(row.copyOf(1));
        assertTrue(results.next());
        assertArrayEquals(new byte[] {'a'}, first);
        assertArrayEquals(new byte[] {'b'}, row.copyOf(0));
      }
    }
  }

  private static String text(dev.sourcevitess.domain.model.RawRow row) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < row.columnCount(); i++) {
      text.append(i == 0 ? "" : "|").append(row.isNull(i) ? "NULL"
          : new String(row.buffer(i), row.offset(i), row.length(i), StandardCharsets.UTF_8));
    }
    return text.toString();
  }
}
