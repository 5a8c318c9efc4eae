package dev.sourcevitess.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The local MariaDB the end-to-end tests load their schemas into (the test account scripts/mariadb-local.sh makes). */
final class MariaDb {
  static final String HOST = "127.0.0.1";
  static final int PORT = 3306;
  static final String USER = "airbyte";
  static final String PASSWORD = "airbyte-test-pw";

  private MariaDb() {}

  static Connection root() throws SQLException {
    return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + PORT
        + "/?sslMode=DISABLED&allowMultiQueries=true&allowPublicKeyRetrieval=true", USER, PASSWORD);
  }

  static void execute(String sql) throws SQLException {
    try (Connection c = root(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs a SQL script from the test resources (statements may span lines; no DELIMITER tricks). */
  static void script(String resource) throws SQLException, IOException {
    try (InputStream in = MariaDb.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
