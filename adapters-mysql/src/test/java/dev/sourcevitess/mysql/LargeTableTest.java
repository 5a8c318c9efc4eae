package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tables larger than the socket buffers (about 8 MB), so a buffered read would have to finish
 * the query before the first row reaches the handler, and a kill lands mid-stream.
 */
class LargeTableTest {
  private static final int BIG_ROWS = 30_000;
  private static final int COMPOSITE_ROWS = 20_000;

  private static TestDatabase db;
  private static MysqlEndpoint endpoint;
  private static Map<String, Table> tables;

  @BeforeAll
  static void load() {
    db = TestDatabase.create("large");
    db.execute(
        "SET SESSION max_recursive_iterations = 1000000;"
            + "CREATE TABLE big (id INT NOT NULL PRIMARY KEY, pad VARCHAR(300) NOT NULL);"
            + "INSERT INTO big WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + BIG_ROWS + ")"
            + " SELECT i, REPEAT('x', 280) FROM n;"
            + "CREATE TABLE big_composite (a INT NOT NULL, b VARCHAR(10) NOT NULL, c INT NOT NULL, pad CHAR(50),"
            + " PRIMARY KEY (a, b, c));"
            + "INSERT INTO big_composite WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
            + COMPOSITE_ROWS + ") SELECT i % 100, CONCAT('x', i % 37), i, 'p' FROM n;"
            + "ANALYZE TABLE big, big_composite;"
            + "CREATE VIEW slow_rows AS SELECT id, REPEAT(pad, 8) AS pad, SLEEP(0.01) AS s FROM big WHERE id <= 400;");
    endpoint = new MysqlEndpoint(db.config());
    tables = new InformationSchemaReader(endpoint, true).tables().stream()
        .collect(Collectors.toMap(Table::name, Function.identity()));
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void rowsReachTheHandlerWhileTheQueryIsStillSending() throws SQLException {
    List<String> stateAtFirstRow = new ArrayList<>();
    AtomicInteger rows = new AtomicInteger();
    try (Connection admin = db.admin()) {
      new KeysetRowSnapshots(endpoint, KeysetRowSnapshots.DEFAULT_PAGE_SIZE).scan(tables.get("big"), null, row -> {
        if (rows.getAndIncrement() == 0) {
          stateAtFirstRow.add(String.valueOf(runningScanId(admin)));
        }
      });
    }
    assertEquals(BIG_ROWS, rows.get());
    assertEquals(1, stateAtFirstRow.size());
    assertTrue(!stateAtFirstRow.get(0).equals("null"), "the SELECT had already finished at the first row");
  }

  @Test
  void aKilledConnectionIsATransientFailureNamingTheTable() throws SQLException {
    AtomicInteger rows = new AtomicInteger();
    try (Connection admin = db.admin()) {
      SourceException e = assertThrows(SourceException.class,
          () -> new KeysetRowSnapshots(endpoint, KeysetRowSnapshots.DEFAULT_PAGE_SIZE).scan(tables.get("big"), null, row -> {
            if (rows.getAndIncrement() == 0) {
              Long id = runningScanId(admin);
              assertNotNull(id, "scan not found in the process list");
              try (Statement s = admin.createStatement()) {
                s.execute("KILL " + id);
              } catch (SQLException ex) {
                throw new IllegalStateException(ex);
              }
            }
          }));
      assertEquals(FailureType.TRANSIENT_ERROR, e.failureType(), e.getMessage() + " / " + e.detail());
      assertTrue(e.getMessage().contains("`big`"), e.getMessage());
      assertTrue(rows.get() < BIG_ROWS, "rows after the kill: " + rows.get());
    }
  }

  @Test
  void aFailingHandlerStopsTheScanWithoutReadingTheRest() {
    IllegalStateException stop = new IllegalStateException("destination is gone");
    AtomicInteger rows = new AtomicInteger();
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> new KeysetRowSnapshots(endpoint, KeysetRowSnapshots.DEFAULT_PAGE_SIZE).scan(tables.get("big"), null, row -> {
          rows.incrementAndGet();
          throw stop;
        }));
    assertSame(stop, thrown);
    assertEquals(1, rows.get());
  }

  @Test
  void aFailingHandlerDoesNotWaitForTheRestOfTheResult() {
    // each row of the view takes 10 ms to produce: reading the rest of it would take 4 s. Rows
    // are 2 kB so that the server's 16 kB network buffer sends the first ones early.
    Table slow = new Table("slow_rows", List.of(
        new Column("id", ColumnType.parse("int", true), false),
        new Column("pad", ColumnType.parse("longtext", true), true),
        new Column("s", ColumnType.parse("bigint", true), true)), List.of(), 0, 0);
    IllegalStateException stop = new IllegalStateException("stop");
    long started = System.nanoTime();
    assertThrows(IllegalStateException.class,
        () -> new KeysetRowSnapshots(endpoint, KeysetRowSnapshots.DEFAULT_PAGE_SIZE).scan(slow, null, row -> {
          throw stop;
        }));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < 1_500, "the scan took " + millis + " ms to give up");
  }

  @Test
  void pagesOverACompositeKeyReadEveryRowOnceInOrder() throws SQLException {
    Table table = tables.get("big_composite");
    List<String> keys = new ArrayList<>();
    new KeysetRowSnapshots(endpoint, 997).scan(table, null, row -> keys.add(key(row, 0)
        + "|" + key(row, 1) + "|" + key(row, 2)));
    List<String> expected = new ArrayList<>();
    try (Connection c = db.admin(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT a, b, c FROM big_composite ORDER BY a, b, c")) {
      while (rs.next()) {
        expected.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
      }
    }
    assertEquals(COMPOSITE_ROWS, expected.size());
    assertEquals(expected, keys);
  }

  @Test
  void thePageAfterAKeyIsAnIndexRangeOnThePrimaryKey() throws SQLException {
    Table table = tables.get("big_composite");
    KeysetQuery query = new KeysetQuery(table, 1000);
    try (Connection c = endpoint.connect(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + query.nextPage())) {
      query.bindAfter(ps, new byte[][] {ascii("50"), ascii("x3"), ascii("5")});
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals("range", rs.getString("type"));
        assertEquals("PRIMARY", rs.getString("key"));
      }
    }
    // and the range starts at the key: only the page's rows are touched, not the index before it
    try (Connection c = endpoint.connect(); Statement s = c.createStatement();
        PreparedStatement ps = c.prepareStatement(query.nextPage())) {
      query.bindAfter(ps, new byte[][] {ascii("98"), ascii("x3"), ascii("5")});
      s.execute("FLUSH STATUS");
      AtomicLong rows = new AtomicLong();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.incrementAndGet();
        }
      }
      long reads = 0;
      try (ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
        while (rs.next()) {
          reads += rs.getLong(2);
        }
      }
      assertTrue(rows.get() > 0 && rows.get() <= 400, "rows " + rows.get());
      assertTrue(reads < rows.get() + 10, "handler reads " + reads + " for " + rows.get() + " rows");
    }
  }

  /** The id of the connection running a SELECT on `big`, or null when none is running. */
  private static Long runningScanId(Connection admin) {
    try (PreparedStatement ps = admin.prepareStatement(
        "SELECT id FROM information_schema.processlist"
            + " WHERE db = ? AND id <> CONNECTION_ID() AND info LIKE 'SELECT %FROM `big`%'")) {
      ps.setString(1, db.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A column of a row view, read as RawRow says: its buffer from its offset, for its length. */
  private static String key(dev.sourcevitess.domain.model.RawRow row, int column) {
    return new String(row.buffer(column), row.offset(column), row.length(column), StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
