package dev.sourcevitess.app;

import dev.sourcevitess.mysql.LocalMariaDb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The local MariaDB the end-to-end tests load their schemas into ({@link LocalMariaDb}, brought up on first use). */
final class MariaDb {
  static final String HOST = LocalMariaDb.HOST;
  static final int PORT = LocalMariaDb.PORT;
  static final String USER = LocalMariaDb.USER;
  static final String PASSWORD = LocalMariaDb.PASSWORD;

  private MariaDb() {}

  static Connection root() throws SQLException {
    LocalMariaDb.up();
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
