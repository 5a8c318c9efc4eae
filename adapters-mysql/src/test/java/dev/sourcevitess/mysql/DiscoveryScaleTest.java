package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Discovery must not cost a round trip per table: 200 tables, still three queries. */
class DiscoveryScaleTest {
  private static final int TABLES = 200;
  private static TestDatabase db;

  @BeforeAll
  static void createTables() {
    db = TestDatabase.create("scale");
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < TABLES; i++) {
      sql.append("CREATE TABLE t").append(i)
          .append(" (id INT NOT NULL, part VARCHAR(10) NOT NULL, v DATETIME(3), w DECIMAL(9,2), PRIMARY KEY (part, id));\n");
    }
    db.execute(sql.toString());
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void readsTwoHundredTablesWithThreeSelects() throws SQLException {
    MysqlEndpoint endpoint = new MysqlEndpoint(db.config());
    InformationSchemaReader reader = new InformationSchemaReader(endpoint, true);
    try (Connection connection = endpoint.connect()) {
      long before = selects(connection);
      long started = System.nanoTime();
      List<Table> tables = reader.readTables(connection);
      long millis = (System.nanoTime() - started) / 1_000_000;
      long after = selects(connection);

      assertEquals(TABLES, tables.size());
      tables.forEach(t -> {
        assertEquals(4, t.columns().size(), t.name());
        assertEquals(List.of("part", "id"), t.primaryKey(), t.name());
      });
      assertEquals(3, after - before, "SELECTs for the whole keyspace");
      assertTrue(millis < 5_000, "discovery took " + millis + " ms");
    }
  }

  /** This session's SELECT count; SHOW STATUS itself is not counted as one. */
  private static long selects(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Com_select'")) {
      rs.next();
      return rs.getLong(2);
    }
  }
}
