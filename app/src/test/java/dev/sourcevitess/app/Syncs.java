package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Syncs against the local Vitess as Airbyte runs them: a configured catalog, states handed back, a deduped destination. */
final class Syncs {
  private final LocalVitess vitess;
  private final Path dir;

  Syncs(LocalVitess vitess, Path dir) {
    this.vitess = vitess;
    this.dir = dir;
  }

  Path file(String name, String text) throws Exception {
    Path file = Files.createTempFile(dir, name, ".json");
    Files.writeString(file, text);
    return file;
  }

  /** Discover's streams for {@code tables}, configured as the Airbyte UI would configure them. */
  Path catalog(Path config, String syncMode, String... tables) throws Exception {
    ConnectorRun discover = ConnectorRun.of("discover", "--config", config.toString());
    assertEquals(0, discover.exit, discover.toString());
    String catalog = discover.configuredCatalog(syncMode, Set.of(tables));
    assertEquals(tables.length, ConnectorRun.JSON.readTree(catalog).path("streams").size(),
        "discover offers every table: " + discover);
    return file("catalog", catalog);
  }

  /** The catalog with {@code column} deselected in {@code stream}, as the Airbyte UI deselects it. */
  Path deselect(Path catalog, String stream, String column) throws Exception {
    JsonNode configured = ConnectorRun.JSON.readTree(Files.readString(catalog));
    for (JsonNode entry : configured.path("streams")) {
      if (entry.path("stream").path("name").asText().equals(stream)) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) entry.path("stream").path("json_schema").path("properties"))
            .remove(column);
      }
    }
    return file("catalog", configured.toString());
  }

  /** The last STATE of every stream, as Airbyte hands them back to the next sync. */
  Path state(ConnectorRun... runs) throws Exception {
    return file("state", ConnectorRun.lastStates(runs));
  }

  ConnectorRun read(Path config, Path catalog, Path state) throws Exception {
    ConnectorRun run = state == null
        ? ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString())
        : ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(),
            "--state", state.toString());
    run.assertOnlyMessages();
    run.assertNothingContains(vitess.password);
    return run;
  }

  void assertSucceeded(ConnectorRun run) {
    assertEquals(0, run.exit, () -> "cluster logs: " + vitess.logs + "\n" + run);
  }

  /** A destination in append + dedup mode: the latest version of each row, deletes dropped. */
  static Map<Long, JsonNode> dedup(String stream, ConnectorRun... runs) {
    Map<Long, JsonNode> rows = new TreeMap<>();
    for (ConnectorRun run : runs) {
      for (JsonNode r : run.records(stream)) {
        JsonNode previous = rows.get(r.path("id").longValue());
        if (previous != null && previous.path("_ab_cdc_cursor").longValue() > r.path("_ab_cdc_cursor").longValue()) {
          continue;
        }
        rows.put(r.path("id").longValue(), r);
      }
    }
    rows.values().removeIf(r -> !r.path("_ab_cdc_deleted_at").isNull());
    return rows;
  }

  /** Each row's note, as the source has it now (through VTGate). */
  Map<Long, String> sourceNotes(String keyspace, String table) throws SQLException {
    Map<Long, String> rows = new TreeMap<>();
    try (Connection c = vitess.vtgate(keyspace); Statement s = c.createStatement()) {
      s.execute("SET workload = 'olap'"); // past VTGate's 10,000-row limit of OLTP queries
      try (ResultSet r = s.executeQuery("SELECT id, note FROM `" + table + "`")) {
        while (r.next()) {
          rows.put(r.getLong(1), r.getString(2));
        }
      }
    }
    return rows;
  }

  /** Each row's note, as the destination has it. */
  static Map<Long, String> notes(Map<Long, JsonNode> destination) {
    Map<Long, String> rows = new TreeMap<>();
    destination.forEach((id, r) -> rows.put(id, r.path("note").isNull() ? null : r.path("note").asText()));
    return rows;
  }
}
