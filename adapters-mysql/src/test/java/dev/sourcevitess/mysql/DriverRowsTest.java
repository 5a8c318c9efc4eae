package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.Table;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streamed rows are read from the driver's row packets, not copied value by value: should a new
 * mysql-connector-j version stop exposing them, the scan still works (through getBytes) but this
 * test says the fast path is gone.
 */
class DriverRowsTest {
  @Test
  void rowsAreReadStraightFromTheRowPacketsAndAgreeWithJdbc() {
    try (TestDatabase db = TestDatabase.create("driver_rows")) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(300) NULL, note MEDIUMTEXT NULL);"
          + " INSERT INTO t VALUES (1, 'one', NULL), (2, REPEAT('é', 150), ''), (3, NULL, REPEAT('x', 70000))");
      MysqlEndpoint endpoint = new MysqlEndpoint(db.config());
      Table table = new InformationSchemaReader(endpoint, true).tables().get(0);
      List<String> rows = new ArrayList<>();
      List<Boolean> sharedBuffers = new ArrayList<>();
      new KeysetRowSnapshots(endpoint, 2).scan(table, null, row -> {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.columnCount(); i++) {
          text.append(i == 0 ? "" : "|").append(row.isNull(i) ? "NULL"
              : new String(row.buffer(i), row.offset(i), row.length(i), StandardCharsets.UTF_8));
        }
        rows.add(text.toString());
        // one packet holds the whole row: every column points into the same array
        sharedBuffers.add(row.buffer(0) == row.buffer(2) && row.offset(2) > row.offset(0));
      });
      assertEquals(List.of("1|one|NULL", "2|" + "é".repeat(150) + "|", "3|NULL|" + "x".repeat(70000)), rows);
      assertEquals(List.of(true, true, true), sharedBuffers, "values are spans of the row packet");
    }
  }

  @Test
  void aPacketWithOtherThanTheRowsColumnsIsRefused() {
    ResultSetRow row = new ResultSetRow(2);
    byte[] one = {1, 'a'};
    assertTrue(!row.loadPacket(one, 0, one.length), "one column for two");
    byte[] two = {1, 'a', (byte) 0xFB};
    assertTrue(row.loadPacket(two, 0, two.length));
    assertTrue(row.isNull(1));
    assertSame(two, row.buffer(0));
    assertArrayEquals(new byte[] {'a'}, row.copyOf(0));
    byte[] longer = {1, 'a', (byte) 0xFB, 9};
    assertTrue(!row.loadPacket(longer, 0, longer.length), "bytes left over");
    byte[] past = {1, 'a', 5, 'b'};
    assertTrue(!row.loadPacket(past, 0, past.length), "a value past the end");
  }
}
