package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sourcevitess.app.LocalVitess.Flavor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar against the MySQL-flavour cluster (Vitess v0.24 over MySQL 9.7, PlanetScale's flavour:
 * positions {@code MySQL56/<uuid>:1-N}) end to end: check, discover, a first incremental sync that
 * copies, and a second that reads an insert, an update and a delete on each shard from the binlog.
 */
class RealVitessMysqlIT {
  private static LocalVitess vitess;

  @TempDir
  Path dir;

  @BeforeAll
  static void cluster() throws Exception {
    vitess = LocalVitess.up(Flavor.MYSQL);
  }

  /** Which shard holds each id, asked of the shards' MySQL themselves. */
  private static Map<String, Set<Long>> placement(String table) throws SQLException {
    Map<String, Set<Long>> where = new TreeMap<>();
    for (String shard : vitess.shards()) {
      Set<Long> ids = new TreeSet<>();
      try (Connection c = vitess.shard(shard); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT id FROM `" + table + "`")) {
        while (r.next()) {
          ids.add(r.getLong(1));
        }
      }
      where.put(shard, ids);
    }
    return where;
  }

  private static String serverUuid(String shard) throws SQLException {
    try (Connection c = vitess.shard(shard); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT @@server_uuid")) {
      r.next();
      return r.getString(1);
    }
  }

  /** Each shard's position in the stream's last STATE: field 3 of the base64 protobuf TableCursor. */
  private static Map<String, String> positions(ConnectorRun run, String stream) {
    JsonNode last = run.states(stream).get(run.states(stream).size() - 1);
    Map<String, String> positions = new TreeMap<>();
    last.path("stream").path("stream_state").path("shards").fields().forEachRemaining(shard ->
        positions.put(shard.getKey(), cursorPosition(Base64.getDecoder().decode(shard.getValue().path("cursor").asText()))));
    return positions;
  }

  private static String cursorPosition(byte[] cursor) {
    ByteBuffer in = ByteBuffer.wrap(cursor);
    while (in.hasRemaining()) {
      long tag = varint(in);
      if ((tag & 7) != 2) {
        throw new AssertionError("a TableCursor holds only length-delimited fields, not wire type " + (tag & 7));
      }
      byte[] value = new byte[(int) varint(in)];
      in.get(value);
      if (tag >>> 3 == 3) {
        return new String(value, StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no position in the cursor");
  }

  private static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }

  private static void assertMysqlPositions(Map<String, String> positions, String when) throws SQLException {
    assertEquals(Set.of("-80", "80-"), positions.keySet(), when + ": " + positions);
    for (String shard : vitess.shards()) {
      String position = positions.get(shard);
      assertTrue(position.startsWith("MySQL56/") && position.contains(serverUuid(shard) + ":1"),
          when + ": shard " + shard + " is at " + position + ", a MySQL56 set naming its primary's server uuid");
    }
  }

  @Test
  void checkDiscoverACopyAndThenInsertsUpdatesAndDeletesOnBothShards() throws Exception {
    vitess.createTable("my_orders", RealVitessIT.ORDERS);
    vitess.insertRows(vitess.keyspace, "my_orders", 1, 20);
    Syncs syncs = new Syncs(vitess, dir);
    Path config = syncs.file("config", vitess.config(""));

    ConnectorRun check = ConnectorRun.of("check", "--config", config.toString());
    JsonNode status = check.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("SUCCEEDED", status.path("status").asText(), () -> vitess.logs + "\n" + check);
    assertTrue(status.path("message").asText().contains("-80, 80-"), status.toString());

    Path catalog = syncs.catalog(config, "incremental", "my_orders");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);
    assertEquals(LongStream.rangeClosed(1, 20).boxed().collect(Collectors.toSet()),
        first.records("my_orders").stream().map(r -> r.path("id").longValue()).collect(Collectors.toSet()),
        "the copy reads every row once: " + first);
    Map<String, String> copied = positions(first, "my_orders");
    assertMysqlPositions(copied, "after the copy");

    vitess.execute("INSERT INTO my_orders (id, note, amount) VALUES " + LongStream.rangeClosed(21, 30)
        .mapToObj(id -> "(" + id + ", 'new', " + id + ".50)").collect(Collectors.joining(", ")));
    Map<String, Set<Long>> placed = placement("my_orders");
    Set<Long> inserted = LongStream.rangeClosed(21, 30).boxed().collect(Collectors.toSet());
    assertTrue(placed.values().stream().allMatch(ids -> ids.stream().anyMatch(inserted::contains)),
        "inserts on both shards: " + placed);
    long updatedLow = placed.get("-80").stream().filter(id -> id <= 20).findFirst().orElseThrow();
    long updatedHigh = placed.get("80-").stream().filter(id -> id <= 20).findFirst().orElseThrow();
    long deletedLow = placed.get("-80").stream().filter(id -> id <= 20 && id != updatedLow).findFirst().orElseThrow();
    long deletedHigh = placed.get("80-").stream().filter(id -> id <= 20 && id != updatedHigh).findFirst().orElseThrow();
    vitess.execute("UPDATE my_orders SET note = 'updated' WHERE id IN (" + updatedLow + ", " + updatedHigh + ")",
        "DELETE FROM my_orders WHERE id IN (" + deletedLow + ", " + deletedHigh + ")");

    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    Map<Long, JsonNode> changes = new TreeMap<>();
    second.records("my_orders").forEach(r -> changes.put(r.path("id").longValue(), r));
    assertEquals(14, second.records("my_orders").size(), "10 inserts, 2 updates, 2 deletes: " + second);
    assertEquals("updated", changes.get(updatedLow).path("note").asText());
    assertEquals("updated", changes.get(updatedHigh).path("note").asText());
    for (long deleted : new long[] {deletedLow, deletedHigh}) {
      JsonNode delete = changes.get(deleted);
      assertTrue(!delete.path("_ab_cdc_deleted_at").isNull() && delete.path("note").asText().equals("n" + deleted),
          "a delete carries the row's last values: " + delete);
    }
    assertEquals(syncs.sourceNotes(vitess.keyspace, "my_orders"),
        Syncs.notes(Syncs.dedup("my_orders", first, second)), "the destination equals the source");
    Map<String, String> streamed = positions(second, "my_orders");
    assertMysqlPositions(streamed, "after the changes");
    for (String shard : vitess.shards()) {
      assertNotEquals(copied.get(shard), streamed.get(shard), "shard " + shard + " moved on");
    }
  }
}
