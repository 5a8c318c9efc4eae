package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A database of its own on the local MariaDB ({@link LocalMariaDb}, brought up on first use), dropped on
 * close, so test classes and other people's runs never share tables.
 */
final class TestDatabase implements AutoCloseable {
  static final String HOST = LocalMariaDb.HOST;
  static final int PORT = LocalMariaDb.PORT;
  static final String USER = LocalMariaDb.USER;
  static final String PASSWORD = LocalMariaDb.PASSWORD;

  private final String name;

  private TestDatabase(String name) {
    this.name = name;
  }

  static TestDatabase create(String purpose) {
    byte[] random = new byte[5];
    new SecureRandom().nextBytes(random);
    TestDatabase db = new TestDatabase("sv_" + purpose + "_" + HexFormat.of().formatHex(random));
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + db.name + "` CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + HOST + ":" + PORT, e);
    }
    return db;
  }

  String name() {
    return name;
  }

  /** A plain root connection to this database that accepts several statements at once. */
  Connection admin() throws SQLException {
    return connect(name);
  }

  /** Runs a script from the test resources. */
  void load(String resource) {
    String script;
    try (InputStream in = TestDatabase.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + resource);
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    execute(script);
  }

  /** Runs statements (each may hold several, separated by semicolons), surfacing every error. */
  void execute(String... sql) {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
        while (s.getMoreResults() || s.getUpdateCount() != -1) {
          // walk every result: an error in a later statement surfaces only here
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test setup failed in " + name + ": " + e.getMessage(), e);
    }
  }

  SourceConfig config() {
    return config(name, USER, PASSWORD, PORT, TlsMode.DISABLED, ReplicationMethod.STANDARD, false, false, true);
  }

  static SourceConfig config(String database, String user, String password, int port, TlsMode tls,
      ReplicationMethod method, boolean useReplica, boolean useRdonly, boolean tinyIntAsBoolean) {
    return new SourceConfig(HOST, port, SourceConfig.DEFAULT_GRPC_PORT, database, user, new Secret(password),
        tls, method, List.of(), useReplica, useRdonly, false, Map.of(), SourceConfig.DEFAULT_MAX_RETRIES,
        5, false, tinyIntAsBoolean, Optional.empty(), 1);
  }

  @Override
  public void close() {
    execute("DROP DATABASE IF EXISTS `" + name + "`");
  }

  private static Connection connect(String database) throws SQLException {
    LocalMariaDb.up();
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", PASSWORD);
    p.setProperty("sslMode", "DISABLED");
    p.setProperty("allowMultiQueries", "true");
    p.setProperty("characterEncoding", "UTF-8");
    p.setProperty("characterSetResults", "UTF-8");
    return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + PORT + "/" + database, p);
  }
}
