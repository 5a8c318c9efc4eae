package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.LoopbackListener;
import dev.sourcevitess.domain.model.ConnectionInfo;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TlsMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectionCheckTest {
  private static final String PASSWORD = "Pw-7fQ2-not-for-logs";
  private static TestDatabase db;

  @BeforeAll
  static void create() {
    db = TestDatabase.create("check");
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  void reportsTheServerVersion() throws SQLException {
    ConnectionInfo info = MysqlModule.schemaReader(db.config()).checkConnection();
    try (Connection c = db.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      assertEquals(rs.getString(1), info.serverVersion());
    }
  }

  @Test
  void mariadbIsNoVitessButAnUnreachableServerIsNotBlamed() {
    assertFalse(MysqlModule.schemaReader(db.config()).servesVitess());
    assertTrue(MysqlModule.schemaReader(config(db.name(), "sv_nobody", PASSWORD, TestDatabase.PORT, TlsMode.DISABLED))
        .servesVitess(), "cannot tell, so not called plain");
  }

  @Test
  void sessionsRenderTimestampsInUtcAndResultsInUtf8mb4() throws SQLException {
    // the server's own zone may well be UTC already; the session must not depend on it
    try (Connection c = new MysqlEndpoint(db.config()).connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@session.time_zone, @@character_set_results")) {
      rs.next();
      assertEquals("+00:00", rs.getString(1));
      assertEquals("utf8mb4", rs.getString(2));
    }
  }

  @Test
  void aWrongPasswordNamesTheUserAndNeverThePassword() {
    SourceException e = failure(config(db.name(), "sv_nobody", PASSWORD, TestDatabase.PORT, TlsMode.DISABLED));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("wrong user name or password for user sv_nobody"), e.getMessage());
    // MySQL says 1045; a stock Debian MariaDB says 1698 for an unknown user from localhost
    assertTrue(e.detail().contains("1045") || e.detail().contains("1698"), e.detail());
    assertNoPassword(e);
  }

  @Test
  void anUnknownDatabaseSaysSo() {
    SourceException e = failure(config(db.name() + "_missing", TestDatabase.USER, TestDatabase.PASSWORD, TestDatabase.PORT, TlsMode.DISABLED));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("database " + db.name() + "_missing does not exist"), e.getMessage());
  }

  @Test
  void aClosedPortIsUnreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    SourceException e = failure(config(db.name(), TestDatabase.USER, PASSWORD, port, TlsMode.DISABLED));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("cannot reach host 127.0.0.1 on port " + port + ": "), e.getMessage());
    assertNoPassword(e);
  }

  @Test
  void aPortThatAcceptsButNeverAnswersFailsWithinTheTimeout() throws Exception {
    try (LoopbackListener silent = new LoopbackListener(new byte[0])) {
      long start = System.nanoTime();
      SourceException e = failure(config(db.name(), TestDatabase.USER, PASSWORD, silent.port(), TlsMode.DISABLED));
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertTrue(seconds < 30, "took " + seconds + " s with a 5 s timeout");
      assertEquals(FailureType.CONFIG_ERROR, e.failureType());
      assertTrue(e.getMessage().startsWith("127.0.0.1:" + silent.port() + " accepted the connection but did not"
          + " answer as a MySQL server within timeout_seconds (5 s)"), e.getMessage());
      assertNoPassword(e);
    }
  }

  @Test
  void aPortSpeakingHttp2IsNotMysql() throws Exception {
    try (LoopbackListener grpc = new LoopbackListener(LoopbackListener.http2Settings())) {
      SourceException e = failure(config(db.name(), TestDatabase.USER, PASSWORD, grpc.port(), TlsMode.DISABLED));
      assertEquals(FailureType.CONFIG_ERROR, e.failureType());
      assertTrue(e.getMessage().startsWith("127.0.0.1:" + grpc.port() + " answered, but not as a MySQL server does:"
          + " check that port is the server's MySQL port"), e.getMessage());
      assertTrue(e.getMessage().contains("grpc_port"), e.getMessage());
    }
  }

  @Test
  void aDatabaseNameTheServerRefusesIsAConfigError() {
    String name = "d".repeat(100);
    SourceException e = failure(config(name, TestDatabase.USER, TestDatabase.PASSWORD, TestDatabase.PORT,
        TlsMode.DISABLED));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("127.0.0.1:3306 refuses the database name " + name), e.getMessage());
    assertTrue(e.getMessage().endsWith("check the database name"), e.getMessage());
  }

  @Test
  void anUnknownHostIsUnreachable() {
    SourceConfig config = new SourceConfig("no-such-host.invalid", 3306, 443, db.name(), "root",
        new dev.sourcevitess.domain.model.Secret(PASSWORD), TlsMode.DISABLED, ReplicationMethod.STANDARD, List.of(),
        false, false, false, java.util.Map.of(), 0, 5, false, true, java.util.Optional.empty(), 1);
    SourceException e = failure(config);
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("cannot reach host no-such-host.invalid on port 3306: unknown host"), e.getMessage());
  }

  @Test
  void tlsAgainstAServerWithoutTlsSaysHowToSetTlsMode() {
    for (TlsMode mode : new TlsMode[] {TlsMode.VERIFY_IDENTITY, TlsMode.REQUIRED}) {
      SourceException e = failure(config(db.name(), TestDatabase.USER, PASSWORD, TestDatabase.PORT, mode));
      assertEquals(FailureType.CONFIG_ERROR, e.failureType());
      assertTrue(e.getMessage().startsWith("TLS connection to 127.0.0.1:3306 failed"), e.getMessage());
      assertTrue(e.getMessage().contains("set tls_mode"), e.getMessage());
      assertNoPassword(e);
    }
  }

  @Test
  void vstreamFromReplicasTargetsTheTabletType() {
    // MariaDB has no tablets: the name it refuses shows what the connection asked for
    SourceException replica = failure(TestDatabase.config(db.name(), TestDatabase.USER, TestDatabase.PASSWORD, TestDatabase.PORT,
        TlsMode.DISABLED, ReplicationMethod.VSTREAM, true, false, true));
    assertTrue(replica.detail().contains("'" + db.name() + "@replica'"), replica.detail());
    assertTrue(replica.getMessage().startsWith("database " + db.name() + " does not exist"), replica.getMessage());

    SourceException rdonly = failure(TestDatabase.config(db.name(), TestDatabase.USER, TestDatabase.PASSWORD, TestDatabase.PORT,
        TlsMode.DISABLED, ReplicationMethod.VSTREAM, true, true, true));
    assertTrue(rdonly.detail().contains("'" + db.name() + "@rdonly'"), rdonly.detail());

    SourceConfig primary = TestDatabase.config(db.name(), TestDatabase.USER, TestDatabase.PASSWORD, TestDatabase.PORT,
        TlsMode.DISABLED, ReplicationMethod.VSTREAM, false, false, true);
    assertFalse(MysqlModule.schemaReader(primary).checkConnection().serverVersion().isBlank());
  }

  @Test
  void discoveryAndScansReportConnectFailuresTheSameWay() {
    SourceConfig wrong = config(db.name(), "sv_nobody", PASSWORD, TestDatabase.PORT, TlsMode.DISABLED);
    SourceException discover = assertThrows(SourceException.class, () -> MysqlModule.schemaReader(wrong).tables());
    assertTrue(discover.getMessage().contains("user sv_nobody"), discover.getMessage());
    Table table = new Table("t", List.of(new dev.sourcevitess.domain.model.Column("id",
        dev.sourcevitess.domain.model.ColumnType.parse("int", true), false)), List.of("id"), 0, 0);
    SourceException scan = assertThrows(SourceException.class,
        () -> MysqlModule.rowSnapshots(wrong).scan(table, null, row -> {}));
    assertEquals(FailureType.CONFIG_ERROR, scan.failureType());
    assertTrue(scan.getMessage().contains("user sv_nobody"), scan.getMessage());
    assertNoPassword(discover);
    assertNoPassword(scan);
  }

  private static SourceException failure(SourceConfig config) {
    return assertThrows(SourceException.class, () -> MysqlModule.schemaReader(config).checkConnection());
  }

  private static SourceConfig config(String database, String user, String password, int port, TlsMode tls) {
    return TestDatabase.config(database, user, password, port, tls, ReplicationMethod.STANDARD, false, false, true);
  }

  private static void assertNoPassword(SourceException e) {
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    assertFalse(e.detail().contains(PASSWORD), e.detail());
    assertFalse(String.valueOf(e).contains(PASSWORD));
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD));
    }
  }
}
