package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyAirbyte, Airbyte's own Python client, runs the jar as a local executable source: check,
 * discover, and two reads into its DuckDB cache, which keeps the state between them; the cache
 * must then hold what the source holds.
 */
class PyAirbyteIT {
  @TempDir
  Path dir;

  /** What the cache holds of {@code stream} after one sync: id to note, rows marked deleted left out. */
  private Map<Long, String> sync(Path config, String stream, boolean fullRefresh) throws Exception {
    Path executable = dir.resolve("source-vitess");
    if (!Files.exists(executable)) {
      Files.writeString(executable, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
          + "' -jar '" + ConnectorRun.jar().toAbsolutePath() + "' \"$@\"\n");
      Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
    }
    Path root = LocalVitess.projectRoot();
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("scripts/pyairbyte.sh").toString(), "python",
        root.resolve("app/src/test/python/pyairbyte_sync.py").toString(), "--executable", executable.toString(),
        "--config", config.toString(), "--cache-dir", dir.toString(), "--streams", stream));
    if (fullRefresh) {
      command.add("--full-refresh");
    }
    Path log = Files.createTempFile(dir, "pyairbyte", ".log");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new AssertionError("PyAirbyte failed (exit " + process.exitValue() + "):\n" + out + "\n"
          + Files.readString(log));
    }
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    JsonNode tables = ConnectorRun.JSON.readTree(lines.get(lines.size() - 1));
    Map<Long, String> rows = new TreeMap<>();
    for (JsonNode row : tables.path(stream)) {
      if (row.path("_ab_cdc_deleted_at").isMissingNode() || row.path("_ab_cdc_deleted_at").isNull()) {
        rows.put(row.path("id").longValue(), row.path("note").isNull() ? null : row.path("note").asText());
      }
    }
    return rows;
  }

  private static Map<Long, String> rows(Connection c, String table) throws SQLException {
    Map<Long, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, note FROM " + table)) {
      while (r.next()) {
        rows.put(r.getLong(1), r.getString(2));
      }
    }
    return rows;
  }

  @Test
  void standardReadsIntoTheCacheTwice() throws Exception {
    MariaDb.execute("DROP DATABASE IF EXISTS pa_std; CREATE DATABASE pa_std;"
        + " CREATE TABLE pa_std.item (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(32));"
        + " INSERT INTO pa_std.item VALUES (1, 'one'), (2, 'two'), (3, 'three');");
    Path config = Files.writeString(dir.resolve("standard.json"), "{\"host\": \"" + MariaDb.HOST + "\", \"port\": "
        + MariaDb.PORT + ", \"database\": \"pa_std\", \"username\": \"" + MariaDb.USER + "\", \"password\": \""
        + MariaDb.PASSWORD + "\", \"tls_mode\": \"disabled\", \"replication_method\": \"STANDARD\"}");
    try (Connection c = MariaDb.root()) {
      assertEquals(rows(c, "pa_std.item"), sync(config, "item", true), "full refresh");
      MariaDb.execute("INSERT INTO pa_std.item VALUES (4, 'four'); UPDATE pa_std.item SET note = 'TWO' WHERE id = 2;");
      // PyAirbyte asks for incremental: STANDARD reads in full, and the cache merges on the key
      assertEquals(rows(c, "pa_std.item"), sync(config, "item", false), "incremental (read in full)");
    }
  }

  @Test
  void vstreamReadsChangesIntoTheCacheWithTheStateItKeeps() throws Exception {
    LocalVitess vitess = LocalVitess.up();
    vitess.createTable("pa_item", RealVitessIT.ORDERS);
    vitess.insertRows(vitess.keyspace, "pa_item", 1, 30);
    Path config = Files.writeString(dir.resolve("vstream.json"), vitess.config(""));
    Syncs syncs = new Syncs(vitess, dir);
    assertEquals(syncs.sourceNotes(vitess.keyspace, "pa_item"), sync(config, "pa_item", false), "first sync: a copy");
    vitess.insertRows(vitess.keyspace, "pa_item", 31, 35);
    vitess.execute("UPDATE pa_item SET note = 'changed' WHERE id IN (3, 4)", "DELETE FROM pa_item WHERE id IN (5, 6)");
    assertEquals(syncs.sourceNotes(vitess.keyspace, "pa_item"), sync(config, "pa_item", false),
        "second sync: the changes since the state PyAirbyte kept");
  }
}
