package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sourcevitess.app.LocalVitess.Flavor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Statements that carry credentials, written to a real shard's binlog (MariaDB writes CREATE USER
 * as typed, plain password included; MySQL writes the hash) and streamed by the jar: neither its
 * stdout nor its stderr may hold a password or a hash, while the log still says a DDL happened.
 * Which statements VStream delivers as DDL is Vitess's choice (vstreamer.go: the statement's
 * first word, then whether Vitess's parser takes it), so the test prints what arrived. On both
 * flavours: MySQL rewrites the statements it writes (IDENTIFIED WITH plugin AS 'hash', the salt's
 * bytes raw), MariaDB keeps them as typed.
 */
class BinlogCredentialsIT {
  private static final String TABLE = "rv_secrets";
  private static final String SHARD = "-80";
  private static final List<String> USERS = List.of("rv_u1", "rv_u2", "rv_u3", "rv_u4", "rv_u5", "rv_u6", "rv_u7",
      "rv_u8", "rv_u9");

  private LocalVitess vitess;

  @TempDir
  Path dir;

  /** A statement, where it runs, and the passwords it holds. */
  private record Written(String where, String sql, List<String> secrets) {}

  /** CREATE USER and friends in MariaDB's own spellings, each naming its own user. */
  private static List<Written> mariaDbStatements() {
    return List.of(
        new Written("shard", "CREATE USER 'rv_u1'@'%' IDENTIFIED BY 'rvpw-plain-1'", List.of("rvpw-plain-1")),
        new Written("shard", "ALTER USER 'rv_u1'@'%' IDENTIFIED BY 'rvpw-plain-2' PASSWORD EXPIRE NEVER",
            List.of("rvpw-plain-2")),
        new Written("shard", "CREATE USER rv_u2 IDENTIFIED VIA mysql_native_password USING PASSWORD('rvpw-plain-3')"
            + " OR unix_socket", List.of("rvpw-plain-3")),
        new Written("shard", "CREATE OR REPLACE USER rv_u3 /* it's rv_u3 */ IDENTIFIED BY 'rvpw-pl\\'ain\\\\-4',"
            + " rv_u4 IDENTIFIED BY PASSWORD '*F3A2A51A9B0F2BE2468926B4132313728C250DBF'",
            List.of("rvpw-pl'ain\\-4", "rvpw-pl\\'ain\\\\-4", "F3A2A51A9B0F2BE2468926B4132313728C250DBF")),
        new Written("shard", "SET PASSWORD FOR rv_u2 = PASSWORD('rvpw-plain-5')", List.of("rvpw-plain-5")),
        new Written("shard", "GRANT SELECT ON commerce.rv_secrets TO rv_u5 IDENTIFIED BY 'rvpw-plain-6'",
            List.of("rvpw-plain-6")),
        new Written("shard", "CREATE PROCEDURE rv_mkuser() CREATE USER rv_u6 IDENTIFIED BY \"rvpw-plain-7\"",
            List.of("rvpw-plain-7")),
        new Written("shard", "CREATE USER rv_u7 IDENTIFIED BY _utf8mb4'rvpw-plain-8' COLLATE utf8mb4_bin",
            List.of("rvpw-plain-8")),
        new Written("vtgate", "CREATE USER rv_u8 IDENTIFIED BY 'rvpw-vtgate-9'", List.of("rvpw-vtgate-9")));
  }

  /** The same for MySQL, which rewrites each to IDENTIFIED WITH plugin AS 'hash' in its binlog. */
  private static List<Written> mySqlStatements() {
    return List.of(
        new Written("shard", "CREATE USER 'rv_u1'@'%' IDENTIFIED BY 'rvpw-plain-1'", List.of("rvpw-plain-1")),
        new Written("shard", "ALTER USER 'rv_u1'@'%' IDENTIFIED BY 'rvpw-plain-2' RETAIN CURRENT PASSWORD",
            List.of("rvpw-plain-2")),
        new Written("shard", "CREATE USER rv_u2 IDENTIFIED WITH caching_sha2_password BY 'rvpw-plain-3'"
            + " PASSWORD EXPIRE NEVER", List.of("rvpw-plain-3")),
        new Written("shard", "CREATE USER rv_u3 /* it's rv_u3 */ IDENTIFIED BY 'rvpw-pl\\'ain\\\\-4'",
            List.of("rvpw-pl'ain\\-4", "rvpw-pl\\'ain\\\\-4")),
        new Written("shard", "SET PASSWORD FOR rv_u2 = 'rvpw-plain-5'", List.of("rvpw-plain-5")),
        new Written("shard", "CREATE USER rv_u4 IDENTIFIED BY RANDOM PASSWORD", List.of()),
        new Written("shard", "CREATE PROCEDURE rv_mkuser() CREATE USER rv_u6 IDENTIFIED BY 'rvpw-plain-7'",
            List.of("rvpw-plain-7")),
        new Written("vtgate", "CREATE USER rv_u8 IDENTIFIED BY 'rvpw-vtgate-9'", List.of("rvpw-vtgate-9")));
  }

  @ParameterizedTest
  @EnumSource(Flavor.class)
  void credentialsInBinlogStatementsReachNoOutputWhileTheLogSaysADdlHappened(Flavor flavor) throws Exception {
    vitess = LocalVitess.up(flavor);
    Syncs syncs = new Syncs(vitess, dir);
    vitess.createTable(TABLE, RealVitessIT.ORDERS);
    vitess.insertRows(vitess.keyspace, TABLE, 1, 4);
    boolean mariaDb = flavor == Flavor.MARIADB;
    try (Connection c = vitess.shard(SHARD); Statement s = c.createStatement()) {
      // what an earlier run left, dropped before the state the sync starts from
      for (String user : USERS) {
        s.execute("DROP USER IF EXISTS " + user);
      }
      s.execute("DROP PROCEDURE IF EXISTS rv_mkuser");
    }
    Path config = syncs.file("config", vitess.config(", \"max_retries\": 0"));
    Path catalog = syncs.catalog(config, "incremental", TABLE);
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);

    Set<String> secrets = new LinkedHashSet<>();
    Map<String, String> outcome = new LinkedHashMap<>();
    List<Written> statements = new ArrayList<>(mariaDb ? mariaDbStatements() : mySqlStatements());
    // the configured password where no credential clause holds it: only the output's own masking finds it
    statements.add(new Written("vtgate", "ALTER TABLE " + TABLE + " ADD COLUMN rv_default VARCHAR(40) DEFAULT '"
        + vitess.password + "'", List.of()));
    statements.add(new Written("vtgate", "ALTER TABLE " + TABLE
        + " CONNECTION='mysql://fed_user:rvpw-connection-10@127.0.0.1:3306/x/y'", List.of("rvpw-connection-10")));
    try (Connection shard = vitess.shard(SHARD); Statement onShard = shard.createStatement()) {
      for (Written w : statements) {
        secrets.addAll(w.secrets());
        try {
          if (w.where().equals("shard")) {
            collectGenerated(onShard, w.sql(), secrets);
          } else {
            vitess.execute(w.sql());
          }
          outcome.put(w.sql(), "ran on " + w.where());
        } catch (SQLException refused) {
          outcome.put(w.sql(), w.where() + " refused it: " + refused.getMessage());
        }
      }
      // a statement run while another database is selected
      onShard.execute("USE mysql");
      onShard.execute("CREATE USER rv_u9 IDENTIFIED BY 'rvpw-otherdb-11'");
      onShard.execute("USE " + vitess.keyspace);
      secrets.add("rvpw-otherdb-11");
      outcome.put("USE mysql; CREATE USER rv_u9 ...", "ran on shard");
      secrets.addAll(storedHashes(onShard));
    }
    assertEquals("ran on vtgate", outcome.get(statements.get(statements.size() - 2).sql()), outcome.toString());

    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    second.assertNothingContains("rvpw");
    for (String secret : secrets) {
      second.assertNothingContains(secret);
    }
    List<String> ddl = second.ofType("LOG").stream().map(m -> m.path("log").path("message").asText())
        .filter(m -> m.startsWith("DDL on " + vitess.keyspace + ": ")).toList();
    report(mariaDb ? "MariaDB" : "MySQL", outcome, ddl);
    assertTrue(ddl.stream().anyMatch(m -> m.contains("CREATE USER") && m.contains("rv_u1") && m.contains("'******'")),
        "the log says a CREATE USER happened, its credential masked: " + ddl);
    assertTrue(ddl.stream().anyMatch(m -> m.contains("rv_default") && m.toUpperCase(Locale.ROOT).contains("DEFAULT '******'")),
        "the configured password in a DDL is masked: " + ddl);

    if (mariaDb) {
      aStatementTheTabletsCannotPlaceFailsTheSyncWithoutShowingItsCredential(syncs, config, catalog, first, second);
    }
  }

  /**
   * MariaDB runs a statement wholly inside an executable comment, and Vitess's Preview strips
   * it as a comment: the vstreamer fails the stream quoting the statement (Go's %q), which the
   * connector passes on in its error, without the password.
   */
  private void aStatementTheTabletsCannotPlaceFailsTheSyncWithoutShowingItsCredential(
      Syncs syncs, Path config, Path catalog, ConnectorRun... before) throws Exception {
    try (Connection shard = vitess.shard(SHARD); Statement s = shard.createStatement()) {
      s.execute("/*M!100100 CREATE USER rv_u9b IDENTIFIED BY 'rvpw-poison-12' */");
      s.execute("DROP USER rv_u9b");
    }
    ConnectorRun third = syncs.read(config, catalog, syncs.state(before));
    third.assertNothingContains("rvpw-poison-12");
    assertNotEquals(0, third.exit, third.toString());
    JsonNode error = third.error();
    System.out.println("[binlog-credentials] a statement Vitess cannot place: " + error.path("failure_type").asText()
        + ": " + error.path("message").asText());
    assertTrue(error.path("message").asText().contains("IDENTIFIED ******"), error.toString());
  }

  /** Runs {@code sql}; a generated password (IDENTIFIED BY RANDOM PASSWORD) it returns joins the secrets. */
  private static void collectGenerated(Statement s, String sql, Set<String> secrets) throws SQLException {
    if (s.execute(sql)) {
      try (ResultSet r = s.getResultSet()) {
        while (r.next()) {
          secrets.add(r.getString("generated password"));
        }
      }
    }
  }

  /** The hashes the shard stores for the test's users, as text and in hex, which MySQL's binlog may use. */
  private static Set<String> storedHashes(Statement s) throws SQLException {
    Set<String> hashes = new LinkedHashSet<>();
    try (ResultSet r = s.executeQuery("SELECT authentication_string FROM mysql.user WHERE user LIKE 'rv\\_u%'")) {
      while (r.next()) {
        byte[] hash = r.getBytes(1);
        if (hash != null && hash.length >= 8) {
          String text = new String(hash, StandardCharsets.ISO_8859_1);
          // MariaDB's *HEX; MySQL's $A$005$, 20 bytes of salt, then the hash in printable characters
          hashes.add(text.startsWith("$A$") && text.length() > 27 ? text.substring(27) : text.replaceFirst("^\\*", ""));
          hashes.add(HexFormat.of().formatHex(hash));
          hashes.add(HexFormat.of().withUpperCase().formatHex(hash));
        }
      }
    }
    return hashes;
  }

  private static void report(String flavor, Map<String, String> outcome, List<String> ddl) {
    StringBuilder out = new StringBuilder("[binlog-credentials] " + flavor + " shard " + SHARD + ":\n");
    outcome.forEach((sql, what) -> out.append("  ").append(what.toLowerCase(Locale.ROOT).startsWith("ran")
        ? what : what.replaceAll("(?s)IDENTIFIED.*", "IDENTIFIED ...")).append(": ").append(
            sql.replaceAll("'rvpw(?:[^'\\\\]|\\\\.)*'|\"rvpw[^\"]*\"", "<pw>")).append('\n'));
    out.append("  DDL events the sync logged (").append(ddl.size()).append("):\n");
    ddl.forEach(m -> out.append("    ").append(m).append('\n'));
    System.out.println(out);
  }
}
