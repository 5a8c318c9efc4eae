package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a process against a real Vitess (scripts/vitess-local.sh: VTGate v0.24 with static
 * gRPC auth, two MariaDB-backed shards), as it would run against PlanetScale. Where this and the
 * fake VTGate disagree, this is right.
 */
class RealVitessIT {
  private static LocalVitess vitess;

  @TempDir
  Path dir;

  @BeforeAll
  static void cluster() throws Exception {
    vitess = LocalVitess.up();
  }

  private Syncs syncs;

  @BeforeEach
  void syncs() {
    syncs = new Syncs(vitess, dir);
  }

  private Path config(String extra) throws Exception {
    return syncs.file("config", vitess.config(extra));
  }

  private static Set<Long> ids(List<JsonNode> records) {
    return records.stream().map(r -> r.path("id").longValue()).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Which shard holds each of these ids, asked of the shards themselves. */
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

  // ---------------------------------------------------------------------------------- check

  @Test
  void checkTakesTheRightPasswordAndRefusesAWrongOne() throws Exception {
    ConnectorRun ok = ConnectorRun.of("check", "--config", config("").toString());
    JsonNode status = ok.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("SUCCEEDED", status.path("status").asText(), () -> vitess.logs + "\n" + ok);
    assertTrue(status.path("message").asText().contains("-80, 80-"), status.toString());

    String wrong = "wrong-vitess-pw-1234";
    ConnectorRun refused = ConnectorRun.of("check", "--config",
        syncs.file("wrong", vitess.config("").replace(vitess.password, wrong)).toString());
    assertEquals(0, refused.exit, refused.toString());
    JsonNode failed = refused.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("FAILED", failed.path("status").asText(), refused.toString());
    assertTrue(failed.path("message").asText().contains(vitess.user), failed.toString());
    refused.assertNothingContains(wrong);
  }

  @Test
  void anUnknownKeyspaceIsAConfigErrorEverywhere() throws Exception {
    Path config = syncs.file("nokeyspace", vitess.config("").replace("\"database\": \"" + vitess.keyspace + "\"",
        "\"database\": \"no_such_keyspace\""));
    ConnectorRun check = ConnectorRun.of("check", "--config", config.toString());
    assertEquals(0, check.exit, check.toString());
    assertEquals("FAILED", check.only("CONNECTION_STATUS").path("connectionStatus").path("status").asText());
    ConnectorRun discover = ConnectorRun.of("discover", "--config", config.toString());
    assertNotEquals(0, discover.exit, discover.toString());
    assertEquals("config_error", discover.error().path("failure_type").asText(), discover.toString());

    // a read peeks first: the early peek reads VTGate's refusal from the call's trailers (HPACK as
    // Go's server codes it) and words it as the gRPC channel would, without building the channel
    Path catalog = syncs.file("nokeyspace-catalog", "{\"streams\": [{\"stream\": {\"name\": \"t\", \"json_schema\":"
        + " {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}}},"
        + " \"supported_sync_modes\": [\"incremental\"]}, \"sync_mode\": \"incremental\","
        + " \"destination_sync_mode\": \"append_dedup\"}]}");
    Path classes = Files.createTempFile("refused-classes", ".log");
    ConnectorRun read = ConnectorRun.of(List.of("-Xlog:class+load=info:file=" + classes), "read", "--config",
        config.toString(), "--catalog", catalog.toString());
    List<String> loaded = Files.readAllLines(classes);
    Files.delete(classes);
    assertNotEquals(0, read.exit, read.toString());
    assertEquals("config_error", read.error().path("failure_type").asText(), read.toString());
    assertTrue(read.error().path("message").asText().contains("no_such_keyspace"), read.toString());
    assertTrue(loaded.stream().anyMatch(line -> line.contains("dev.sourcevitess.vstream.GrpcTrailers ")),
        "the refusal was read from the trailers: " + read);
    assertTrue(loaded.stream().noneMatch(line -> line.contains("io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder")),
        "no gRPC channel was built to ask again");
  }

  // ---------------------------------------------------------------------------------- values

  /**
   * 2024-02-29T13:45:00.250Z, the same instant whatever the session's zone (the shards run in one
   * other than UTC, where a literal means local time).
   */
  private static final String INSTANT = "FROM_UNIXTIME(1709214300.250)";

  /** A column of {@code rv_types}: its SQL type, the value inserted, and what the record must say. */
  private record TypedValue(String column, String sqlType, String literal, String expectedJson) {}

  private static final List<TypedValue> TYPES = List.of(
      new TypedValue("ubi", "BIGINT UNSIGNED", "18446744073709551615", "18446744073709551615"),
      new TypedValue("bi", "BIGINT", "-9223372036854775808", "-9223372036854775808"),
      new TypedValue("flag", "TINYINT(1)", "1", "true"),
      new TypedValue("si", "SMALLINT UNSIGNED", "65535", "65535"),
      new TypedValue("yr", "YEAR", "2024", "2024"),
      new TypedValue("dec1", "DECIMAL(30,6)", "-123456789012345678.123456", "-123456789012345678.123456"),
      new TypedValue("fl", "FLOAT", "1.5", "1.5"),
      new TypedValue("db", "DOUBLE", "-2.25", "-2.25"),
      new TypedValue("d", "DATE", "'2024-02-29'", "\"2024-02-29\""),
      new TypedValue("dt6", "DATETIME(6)", "'2024-02-29 13:45:00.123456'", "\"2024-02-29T13:45:00.123456\""),
      new TypedValue("ts", "TIMESTAMP(3) NULL", INSTANT, "\"2024-02-29T13:45:00.250Z\""),
      new TypedValue("tm", "TIME", "'13:45:07'", "\"13:45:07\""),
      new TypedValue("latin", "VARCHAR(32) CHARACTER SET latin1", "'José Ñandú ©'", "\"José Ñandú ©\""),
      new TypedValue("utf", "VARCHAR(64) CHARACTER SET utf8mb4", "'Zoë 🚀 日本'", "\"Zoë 🚀 日本\""),
      new TypedValue("tx", "TEXT", "'it''s \"quoted\" \\\\ back'", "\"it's \\\"quoted\\\" \\\\ back\""),
      new TypedValue("en", "ENUM('small','medium','large')", "'medium'", "\"medium\""),
      new TypedValue("st", "SET('a','b','c')", "'a,c'", "\"a,c\""),
      new TypedValue("js", "JSON", "'{\"k\": [1, 2]}'", "\"{\\\"k\\\": [1, 2]}\""),
      new TypedValue("bl", "BLOB", "X'00FF1080'", "\"AP8QgA==\""),
      new TypedValue("vb", "VARBINARY(16)", "X'C328'", "\"wyg=\""),
      new TypedValue("bit1", "BIT(1)", "b'1'", "true"),
      new TypedValue("bits", "BIT(12)", "b'101'", "\"AAU=\""));

  private static void createTypes(String table) throws SQLException {
    StringBuilder columns = new StringBuilder("id BIGINT NOT NULL PRIMARY KEY");
    for (TypedValue t : TYPES) {
      columns.append(", `").append(t.column).append("` ").append(t.sqlType).append(t.sqlType.endsWith("NULL") ? "" : " NULL");
    }
    vitess.createTable(table, columns.toString());
  }

  /** One row of every value at each of these ids, and one row of NULLs at id + 1000. */
  private static void insertTypes(String table, long... ids) throws SQLException {
    String names = TYPES.stream().map(t -> "`" + t.column + "`").collect(Collectors.joining(", "));
    String values = TYPES.stream().map(TypedValue::literal).collect(Collectors.joining(", "));
    List<String> statements = new ArrayList<>();
    for (long id : ids) {
      statements.add("INSERT INTO `" + table + "` (id, " + names + ") VALUES (" + id + ", " + values + ")");
      statements.add("INSERT INTO `" + table + "` (id) VALUES (" + (id + 1000) + ")");
    }
    vitess.execute(statements.toArray(String[]::new));
  }

  private static void assertTypedRows(List<JsonNode> records, Set<Long> ids, String how) {
    assertEquals(ids.size() * 2, records.size(), how + ": " + records);
    for (JsonNode record : records) {
      long id = record.path("id").longValue();
      boolean nulls = id >= 1000;
      assertTrue(ids.contains(nulls ? id - 1000 : id), how + ": unexpected id " + id);
      for (TypedValue t : TYPES) {
        JsonNode actual = record.path(t.column);
        if (nulls) {
          assertTrue(actual.isNull(), how + ": " + t.column + " of the NULL row is " + actual);
          continue;
        }
        JsonNode expected = readJson(t.expectedJson);
        if (expected.isNumber()) {
          assertTrue(actual.isNumber(), how + ": " + t.column + " is " + actual);
          assertEquals(0, new BigDecimal(expected.asText()).compareTo(actual.decimalValue()),
              how + ": " + t.column + " is " + actual + ", inserted " + t.literal);
        } else {
          assertEquals(expected, actual, how + ": " + t.column + ", inserted " + t.literal);
        }
      }
    }
  }

  private static JsonNode readJson(String text) {
    try {
      return ConnectorRun.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }

  @Test
  void everyTypeArrivesAsInsertedThroughTheCopyAndTheBinlog() throws Exception {
    createTypes("rv_types");
    insertTypes("rv_types", 1, 2, 3, 4);
    Map<String, Set<Long>> placed = placement("rv_types");
    assertTrue(placed.values().stream().allMatch(ids -> !ids.isEmpty()), "rows on both shards: " + placed);

    Path config = config("");
    ConnectorRun full = syncs.read(config, syncs.catalog(config, "full_refresh", "rv_types"), null);
    syncs.assertSucceeded(full);
    assertTypedRows(full.records("rv_types"), Set.of(1L, 2L, 3L, 4L), "full refresh");

    Path incremental = syncs.catalog(config, "incremental", "rv_types");
    ConnectorRun copy = syncs.read(config, incremental, null);
    syncs.assertSucceeded(copy);
    assertTypedRows(copy.records("rv_types"), Set.of(1L, 2L, 3L, 4L), "first incremental copy");

    insertTypes("rv_types", 11, 12, 13, 14);
    ConnectorRun binlog = syncs.read(config, incremental, syncs.state(copy));
    syncs.assertSucceeded(binlog);
    assertTypedRows(binlog.records("rv_types"), Set.of(11L, 12L, 13L, 14L), "binlog");
  }

  /** Each record's {@code ts} and {@code dt}, as "ts dt", by id. */
  private static Map<Long, String> times(List<JsonNode> records) {
    Map<Long, String> times = new TreeMap<>();
    records.forEach(r -> times.put(r.path("id").longValue(), r.path("ts").asText() + " " + r.path("dt").asText()));
    return times;
  }

  /** The table's earliest {@code ts} as the shard's MariaDB writes it in its own zone. */
  private static String serverText(String shard, String table) throws SQLException {
    try (Connection c = vitess.shard(shard); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT CAST(MIN(ts) AS CHAR) FROM `" + table + "`")) {
      r.next();
      return r.getString(1);
    }
  }

  /**
   * The shards run in Asia/Kolkata, and VStream still sends TIMESTAMPs in UTC: the tablets' copy
   * sessions set time_zone '+00:00', binlog rows hold epoch seconds that vstreamer prints in UTC,
   * and STANDARD sets its own session to UTC. DATETIMEs are wall-clock text in every path.
   */
  @Test
  void timestampsAreTheirInstantInUtcAndDatetimesAsStoredThoughTheServersRunInAnotherZone() throws Exception {
    String first = "2024-02-29T13:45:00.250Z 2024-02-29T13:45:00.250";
    String later = "2024-03-01T13:45:00.500Z 2024-03-01T13:45:00.500";
    vitess.createTable("rv_zones", "id BIGINT NOT NULL PRIMARY KEY, ts TIMESTAMP(3) NULL, dt DATETIME(3) NULL");
    String row = ", " + INSTANT + ", '2024-02-29 13:45:00.250')";
    vitess.execute("INSERT INTO rv_zones (id, ts, dt) VALUES (1" + row + ", (2" + row + ", (11" + row + ", (12" + row);
    assertEquals(Map.of("-80", Set.of(1L, 2L), "80-", Set.of(11L, 12L)), placement("rv_zones"));
    for (String shard : vitess.shards()) {
      assertNotEquals("2024-02-29 13:45:00.250", serverText(shard, "rv_zones"), "shard " + shard + " runs in UTC,"
          + " so this test cannot tell TIMESTAMPs read in the server's zone from UTC ones: scripts/vitess-local.sh"
          + " should run the cluster in another zone");
    }
    Map<Long, String> copied = Map.of(1L, first, 2L, first, 11L, first, 12L, first);

    Path config = config("");
    ConnectorRun full = syncs.read(config, syncs.catalog(config, "full_refresh", "rv_zones"), null);
    syncs.assertSucceeded(full);
    assertEquals(copied, times(full.records("rv_zones")), "full refresh");

    Map<Long, String> standard = new TreeMap<>();
    for (String shard : vitess.shards()) {
      Path plain = syncs.file("standard", vitess.standardConfig(shard));
      ConnectorRun read = syncs.read(plain, syncs.catalog(plain, "full_refresh", "rv_zones"), null);
      syncs.assertSucceeded(read);
      standard.putAll(times(read.records("rv_zones")));
    }
    assertEquals(copied, standard, "STANDARD, straight from each shard's MariaDB");

    Path incremental = syncs.catalog(config, "incremental", "rv_zones");
    ConnectorRun copy = syncs.read(config, incremental, null);
    syncs.assertSucceeded(copy);
    assertEquals(copied, times(copy.records("rv_zones")), "first incremental copy");

    vitess.execute("INSERT INTO rv_zones (id, ts, dt) VALUES (13" + row + ", (14" + row,
        "UPDATE rv_zones SET ts = FROM_UNIXTIME(1709300700.500), dt = '2024-03-01 13:45:00.500' WHERE id IN (1, 11)");
    ConnectorRun binlog = syncs.read(config, incremental, syncs.state(copy));
    syncs.assertSucceeded(binlog);
    assertEquals(Map.of(13L, first, 14L, first, 1L, later, 11L, later), times(binlog.records("rv_zones")),
        "binlog inserts and updates");
  }

  // ---------------------------------------------------------------------------------- changes

  static final String ORDERS = "id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(64) NULL, amount DECIMAL(10,2) NULL";

  private static void createOrders(String table, int rows) throws SQLException {
    vitess.createTable(table, ORDERS);
    vitess.insertRows(vitess.keyspace, table, 1, rows);
  }

  @Test
  void incrementalSyncsCaptureInsertsUpdatesAndDeletesOnBothShardsAndANoOpIsOnePeek() throws Exception {
    createOrders("rv_orders", 20);
    Path config = config("");
    Path catalog = syncs.catalog(config, "incremental", "rv_orders");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);
    assertEquals(20, first.records("rv_orders").size());

    Map<String, Set<Long>> placed = placement("rv_orders");
    long onLow = placed.get("-80").iterator().next();
    long onHigh = placed.get("80-").iterator().next();
    vitess.execute(
        "INSERT INTO rv_orders (id, note, amount) VALUES (21, 'new', 1.00), (22, 'new', 2.00), (23, 'new', 3.00)",
        "UPDATE rv_orders SET note = 'updated' WHERE id IN (" + onLow + ", " + onHigh + ")",
        "DELETE FROM rv_orders WHERE id IN (" + placed.get("-80").stream().skip(1).findFirst().orElseThrow()
            + ", " + placed.get("80-").stream().skip(1).findFirst().orElseThrow() + ")");
    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    assertEquals(7, second.records("rv_orders").size(), "3 inserts, 2 updates, 2 deletes: " + second);
    assertTrue(second.records("rv_orders").stream().filter(r -> !r.path("_ab_cdc_deleted_at").isNull())
        .allMatch(r -> r.path("note").asText().startsWith("n")), "deletes carry the row's last values");
    assertEquals(syncs.sourceNotes(vitess.keyspace, "rv_orders"), Syncs.notes(Syncs.dedup("rv_orders", first, second)));

    Map<String, Long> before = vitess.vstreamsCreated();
    // the classes the JVM loads say whether the peek was read without gRPC (Http2Call) or gave
    // way to the gRPC channel, which the count of streams alone cannot tell
    Path classes = Files.createTempFile("noop-classes", ".log");
    ConnectorRun third = ConnectorRun.of(List.of("-Xlog:class+load=info:file=" + classes), "read", "--config",
        config.toString(), "--catalog", catalog.toString(), "--state", syncs.state(first, second).toString());
    syncs.assertSucceeded(third);
    Map<String, Long> after = vitess.vstreamsCreated();
    assertTrue(third.records("rv_orders").isEmpty(), third.toString());
    for (String shard : vitess.shards()) {
      assertEquals(1, after.get(shard) - before.get(shard), "nothing new: one peek opens one stream on " + shard);
    }
    List<String> loaded = Files.readAllLines(classes);
    Files.delete(classes);
    assertTrue(loaded.stream().anyMatch(line -> line.contains("dev.sourcevitess.vstream.Http2Call ")), "the peek ran");
    assertTrue(loaded.stream().noneMatch(line -> line.contains("io.grpc.netty") || line.contains("io.vitess.proto.Vtgate")),
        "a sync with nothing new reads VTGate's answer without grpc-java or the generated classes");
    JsonNode lastOfSecond = second.states("rv_orders").get(second.states("rv_orders").size() - 1);
    assertEquals(lastOfSecond.path("stream").path("stream_state"),
        third.states("rv_orders").get(0).path("stream").path("stream_state"), "the state comes back unchanged");
  }

  private static final int MID_COPY_ROWS = 25_000;

  /**
   * A sync of a table of {@link #MID_COPY_ROWS} rows (id, note, ...) killed at its first STATE
   * mid-copy, rows changed and deleted meanwhile, then resumed: the destination after both, checked
   * against the source's notes.
   */
  private Map<Long, JsonNode> killedMidCopyAndResumed(String table) throws Exception {
    Path config = config("");
    Path catalog = syncs.catalog(config, "incremental", table);
    ConnectorRun killed = ConnectorRun.atFirstStateAfter(1, () -> true, "read", "--config", config.toString(),
        "--catalog", catalog.toString());
    int copiedBefore = killed.records(table).size();
    assertTrue(copiedBefore > 0 && copiedBefore < MID_COPY_ROWS, "killed mid-copy after " + copiedBefore + " rows");
    vitess.execute("UPDATE `" + table + "` SET note = 'changed mid-copy' WHERE id IN (1, 12000, 24999)",
        "DELETE FROM `" + table + "` WHERE id IN (2, 12001)");

    ConnectorRun resumed = syncs.read(config, catalog, syncs.state(killed));
    syncs.assertSucceeded(resumed);
    assertTrue(resumed.records(table).size() < MID_COPY_ROWS, "the resume does not start over");
    Map<Long, JsonNode> destination = Syncs.dedup(table, killed, resumed);
    assertEquals(syncs.sourceNotes(vitess.keyspace, table), Syncs.notes(destination));
    return destination;
  }

  @Test
  void aSyncKilledAfterItsFirstStateMidCopyResumesWithoutLosingARow() throws Exception {
    createOrders("rv_big", MID_COPY_ROWS);
    killedMidCopyAndResumed("rv_big");
  }

  /** The last key saved mid-copy holds a TIMESTAMP, written by the tablets in UTC: resuming must read it so. */
  @Test
  void aCopyKilledMidWayResumesAfterItsLastKeyWhenThatKeyIsATimestamp() throws Exception {
    long firstEpoch = 1709214300;
    vitess.createTable("rv_ts_key",
        "id BIGINT NOT NULL, ts TIMESTAMP(3) NOT NULL, note VARCHAR(64) NULL, PRIMARY KEY (ts, id)");
    for (long first = 1; first <= MID_COPY_ROWS; first += 1000) {
      StringBuilder sql = new StringBuilder("INSERT INTO rv_ts_key (id, ts, note) VALUES ");
      for (long id = first; id < first + 1000; id++) {
        sql.append(id == first ? "" : ", ").append('(').append(id).append(", FROM_UNIXTIME(")
            .append(firstEpoch + id * 60).append(".250), 'n").append(id).append("')");
      }
      vitess.execute(sql.toString());
    }
    killedMidCopyAndResumed("rv_ts_key").forEach((id, r) -> assertEquals(
        Instant.ofEpochSecond(firstEpoch + id * 60, 250_000_000).toString(), r.path("ts").asText(), "ts of id " + id));
  }

  @Test
  void aTransactionLongerThanVtgatesHeartbeatIsReadInTheSameSync() throws Exception {
    vitess.createTable("rv_long", "id BIGINT NOT NULL PRIMARY KEY, note TEXT NULL, amount DECIMAL(10,2) NULL");
    vitess.insertRows(vitess.keyspace, "rv_long", 1, 10);
    Path config = config("");
    Path catalog = syncs.catalog(config, "incremental", "rv_long");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);
    // one transaction of 300,000 rows of 1 KB on one shard (behind VTGate, with MariaDB's sequence
    // engine): its binlog takes the tablet longer to read than the 10 s heartbeat interval the
    // connector asks for, so VTGate sends heartbeats before the transaction arrives
    try (Connection c = vitess.shard("-80"); Statement s = c.createStatement()) {
      s.execute("INSERT INTO rv_long (id, note, amount) SELECT seq, REPEAT('x', 1000), 1 FROM seq_100_to_300099");
    }
    long started = System.nanoTime();
    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    assertEquals(300_000, second.records("rv_long").size(),
        "the whole transaction in this sync (it took " + (System.nanoTime() - started) / 1_000_000 + " ms)");
  }

  /** Runs each statement once VTGate's schema tracker knows the column just added (a moment later). */
  private static void afterAlter(String... statements) throws Exception {
    for (String sql : statements) {
      LocalVitess.eventually("VTGate taking " + sql, Duration.ofSeconds(30), () -> {
        vitess.execute(sql);
        return null;
      });
    }
  }

  @Test
  void aColumnAddedBetweenSyncsWaitsForTheRefreshedCatalogAndIsNamedMeanwhile() throws Exception {
    createOrders("rv_alter", 6);
    Path config = config("");
    Path catalog = syncs.catalog(config, "incremental", "rv_alter");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);

    vitess.execute("ALTER TABLE rv_alter ADD COLUMN color VARCHAR(16) NULL");
    afterAlter("INSERT INTO rv_alter (id, note, amount, color) VALUES (7, 'n7', 7.25, 'blue')",
        "UPDATE rv_alter SET note = 'after alter' WHERE id = 1");
    // the configured catalog predates the column: it may as well have been left out on purpose,
    // so only the configured columns go out, and the log says what a schema refresh would add
    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    Map<Long, JsonNode> changed = Syncs.dedup("rv_alter", second);
    assertEquals(Set.of(1L, 7L), changed.keySet(), second.toString());
    assertTrue(changed.get(7L).path("color").isMissingNode(), changed.get(7L).toString());
    assertEquals("after alter", changed.get(1L).path("note").asText());
    assertEquals(0, new BigDecimal("7.25").compareTo(changed.get(7L).path("amount").decimalValue()),
        "the old columns keep their values");
    assertTrue(second.ofType("LOG").stream().anyMatch(l -> l.path("log").path("message").asText()
        .contains("commerce.rv_alter (color)")), "the log names the column it does not read: " + second);

    // with the catalog refreshed (Airbyte's schema change propagation), the column comes along
    Path refreshed = syncs.catalog(config, "incremental", "rv_alter");
    afterAlter("UPDATE rv_alter SET color = 'violet' WHERE id = 7");
    ConnectorRun third = syncs.read(config, refreshed, syncs.state(first, second));
    syncs.assertSucceeded(third);
    assertEquals("violet", Syncs.dedup("rv_alter", third).get(7L).path("color").asText(), third.toString());
  }

  /**
   * A sync whose copy of {@code table} sees {@code alter} run at its first STATE, then
   * {@code changes}; then the next sync. The destination of both has every row and note the source has.
   */
  private AlteredCopy alteredMidCopy(String table, Path config, Path catalog, String alter, String... changes)
      throws Exception {
    ConnectorRun during = ConnectorRun.atFirstStateAfter(1, () -> {
      vitess.execute(alter);
      // VTGate learns the new columns from its schema tracker a moment later
      afterAlter(changes);
      return false;
    }, "read", "--config", config.toString(), "--catalog", catalog.toString());
    during.assertOnlyMessages();
    syncs.assertSucceeded(during);
    ConnectorRun next = syncs.read(config, catalog, syncs.state(during));
    syncs.assertSucceeded(next);
    Map<Long, JsonNode> destination = Syncs.dedup(table, during, next);
    assertEquals(syncs.sourceNotes(vitess.keyspace, table), Syncs.notes(destination));
    return new AlteredCopy(next, destination);
  }

  /** The sync after the one a copy was altered in, and the destination both left. */
  private record AlteredCopy(ConnectorRun next, Map<Long, JsonNode> destination) {}

  @Test
  void aColumnAddedDuringACopyLosesNothingOfTheConfiguredColumns() throws Exception {
    createOrders("rv_alter_copy", 25_000);
    Path config = config("");
    Map<Long, JsonNode> destination = alteredMidCopy("rv_alter_copy", config,
        syncs.catalog(config, "incremental", "rv_alter_copy"),
        "ALTER TABLE rv_alter_copy ADD COLUMN color VARCHAR(16) NULL",
        "INSERT INTO rv_alter_copy (id, note, amount, color) VALUES (30000, 'late', 1, 'red')",
        "UPDATE rv_alter_copy SET note = 'changed', color = 'green' WHERE id = 3").destination();
    // the configured catalog predates the column, so records keep to the configured columns (see the
    // test above for how the column comes along after a refresh); what this checks is that no row or
    // change of those columns is lost or garbled across an ALTER in the middle of a copy
    assertTrue(destination.get(3L).path("color").isMissingNode(), destination.get(3L).toString());
    assertEquals("late", destination.get(30000L).path("note").asText(), destination.get(30000L).toString());
  }

  private static List<String> logs(ConnectorRun run, String level) {
    return run.ofType("LOG").stream().filter(l -> l.path("log").path("level").asText().equals(level))
        .map(l -> l.path("log").path("message").asText()).toList();
  }

  private static final String WITH_EXTRA = ORDERS + ", extra VARCHAR(16) NULL";

  /**
   * A configured column dropped between syncs: the schema read at the start no longer has it, so
   * the rule leaves it out (a rule naming it would be refused), records go on without it, and a
   * WARN says to refresh the schema; the same with a rule of some columns and with SELECT *.
   */
  @Test
  void aSelectedColumnDroppedBetweenSyncsIsLeftOutOfRecordsWithAWarningWithOrWithoutPushdown() throws Exception {
    for (String table : List.of("rv_drop_some", "rv_drop_all")) {
      vitess.createTable(table, WITH_EXTRA);
      vitess.insertRows(vitess.keyspace, table, 1, 6);
    }
    Path config = config("");
    Path catalog = syncs.deselect(syncs.catalog(config, "incremental", "rv_drop_some", "rv_drop_all"),
        "rv_drop_some", "extra");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);

    for (String table : List.of("rv_drop_some", "rv_drop_all")) {
      vitess.execute("ALTER TABLE " + table + " DROP COLUMN amount");
      afterAlter("INSERT INTO " + table + " (id, note, extra) VALUES (7, 'n7', 'x7')",
          "UPDATE " + table + " SET note = 'after drop' WHERE id = 1");
    }
    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    for (String table : List.of("rv_drop_some", "rv_drop_all")) {
      Map<Long, JsonNode> changed = Syncs.dedup(table, second);
      assertEquals(Set.of(1L, 7L), changed.keySet(), second.toString());
      changed.values().forEach(r -> assertTrue(r.path("amount").isMissingNode(), r.toString()));
      assertEquals(table.equals("rv_drop_all") ? "x7" : null, changed.get(7L).path("extra").textValue(),
          "a deselected column stays out");
      assertEquals(syncs.sourceNotes(vitess.keyspace, table), Syncs.notes(Syncs.dedup(table, first, second)));
      assertTrue(logs(second, "WARN").stream().anyMatch(m -> m.contains("commerce." + table
          + " no longer has the configured column(s) amount") && m.contains("Refresh the source schema")),
          "a WARN names the table and the column: " + logs(second, "WARN"));
    }
  }

  @Test
  void aSelectedColumnRenamedBetweenSyncsIsNamedAndComesUnderItsNewNameOnceTheCatalogIsRefreshed() throws Exception {
    createOrders("rv_rename", 6);
    Path config = config("");
    Path catalog = syncs.catalog(config, "incremental", "rv_rename");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);

    vitess.execute("ALTER TABLE rv_rename RENAME COLUMN amount TO total");
    afterAlter("INSERT INTO rv_rename (id, note, total) VALUES (7, 'n7', 7.25)");
    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    JsonNode seven = Syncs.dedup("rv_rename", second).get(7L);
    assertTrue(seven.path("amount").isMissingNode() && seven.path("total").isMissingNode(), seven.toString());
    assertTrue(logs(second, "WARN").stream().anyMatch(m -> m.contains("rv_rename no longer has the configured"
        + " column(s) amount")), logs(second, "WARN").toString());
    assertTrue(logs(second, "INFO").stream().anyMatch(m -> m.contains("commerce.rv_rename (total)")),
        "the new name is among the columns not read: " + logs(second, "INFO"));

    Path refreshed = syncs.catalog(config, "incremental", "rv_rename");
    afterAlter("UPDATE rv_rename SET total = 8.5 WHERE id = 7");
    ConnectorRun third = syncs.read(config, refreshed, syncs.state(first, second));
    syncs.assertSucceeded(third);
    assertEquals(0, new BigDecimal("8.5").compareTo(Syncs.dedup("rv_rename", third).get(7L).path("total").decimalValue()));
    assertTrue(logs(third, "WARN").isEmpty(), logs(third, "WARN").toString());
  }

  /**
   * Tablets without schema history (this cluster's: --track-schema-versions off) read every binlog
   * row with the table's current columns; a row written before a DROP has more, and vstreamer.go
   * refuses it whatever the rule. No retry can help: the sync fails at once with a config_error
   * that says to reset the stream, and a reset (a sync without state) copies it again.
   */
  @Test
  void changesWrittenBeforeADropThatTheTabletsCannotReadAreAConfigErrorSayingToResetTheStream() throws Exception {
    createOrders("rv_drop_old", 6);
    Path config = config("");
    Path catalog = syncs.catalog(config, "incremental", "rv_drop_old");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);

    vitess.execute("UPDATE rv_drop_old SET note = 'before drop' WHERE id IN (1, 2, 3, 4, 5, 6)",
        "ALTER TABLE rv_drop_old DROP COLUMN amount");
    afterAlter("INSERT INTO rv_drop_old (id, note) VALUES (7, 'n7')");
    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    assertNotEquals(0, second.exit, second.toString());
    JsonNode error = second.ofType("TRACE").stream().filter(t -> t.path("trace").path("type").asText().equals("ERROR"))
        .findFirst().orElseThrow().path("trace").path("error");
    assertEquals("config_error", error.path("failure_type").asText(), error.toString());
    assertTrue(error.path("message").asText().contains("Reset stream rv_drop_old")
        && error.path("message").asText().contains("--track-schema-versions"), error.toString());
    assertTrue(logs(second, "WARN").stream().noneMatch(m -> m.contains("retry")), "not retried: " + second);

    ConnectorRun reset = syncs.read(config, catalog, null);
    syncs.assertSucceeded(reset);
    assertEquals(syncs.sourceNotes(vitess.keyspace, "rv_drop_old"), Syncs.notes(Syncs.dedup("rv_drop_old", reset)));
  }

  /**
   * A column added between syncs, with rows written before and after the ADD in one sync's window:
   * the old catalog reads on as before; a refreshed one that selects the column while leaving
   * another out names it in its rule, which the tablets refuse for the rows from before the ADD
   * (planbuilder.go findColumn). The sync then reads the table with every column: no failure, and
   * records carry the new column where their rows have it.
   */
  @Test
  void aColumnAddedBetweenRowsOfOneSyncIsReadWhetherTheRuleNamesItOrNot() throws Exception {
    vitess.createTable("rv_add_mid", WITH_EXTRA);
    vitess.insertRows(vitess.keyspace, "rv_add_mid", 1, 6);
    Path config = config("");
    Path catalog = syncs.deselect(syncs.catalog(config, "incremental", "rv_add_mid"), "rv_add_mid", "extra");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);

    vitess.execute("INSERT INTO rv_add_mid (id, note, amount, extra) VALUES (7, 'n7', 7.25, 'x')",
        "ALTER TABLE rv_add_mid ADD COLUMN color VARCHAR(16) NULL");
    afterAlter("INSERT INTO rv_add_mid (id, note, amount, extra, color) VALUES (8, 'n8', 8.25, 'x', 'red')",
        "UPDATE rv_add_mid SET note = 'after add' WHERE id = 1");
    Path state = syncs.state(first);
    ConnectorRun before = syncs.read(config, catalog, state);
    syncs.assertSucceeded(before);
    assertEquals(Set.of(1L, 7L, 8L), Syncs.dedup("rv_add_mid", before).keySet(), before.toString());
    Syncs.dedup("rv_add_mid", before).values().forEach(r -> assertTrue(r.path("color").isMissingNode(), r.toString()));

    Path refreshed = syncs.deselect(syncs.catalog(config, "incremental", "rv_add_mid"), "rv_add_mid", "extra");
    ConnectorRun after = syncs.read(config, refreshed, state);
    syncs.assertSucceeded(after);
    Map<Long, JsonNode> changed = Syncs.dedup("rv_add_mid", after);
    assertEquals(Set.of(1L, 7L, 8L), changed.keySet(), after.toString());
    assertEquals("red", changed.get(8L).path("color").asText(), changed.get(8L).toString());
    assertTrue(changed.get(7L).path("color").isMissingNode(), "a row from before the ADD has no such column");
    changed.values().forEach(r -> assertTrue(r.path("extra").isMissingNode(), "a deselected column stays out: " + r));
    assertEquals(syncs.sourceNotes(vitess.keyspace, "rv_add_mid"), Syncs.notes(Syncs.dedup("rv_add_mid", first, after)));
    assertTrue(logs(after, "WARN").stream().anyMatch(m -> m.contains("commerce.rv_add_mid were written while the"
        + " table had no column color")), logs(after, "WARN").toString());
  }

  /**
   * A selected column dropped while a copy runs: the sync stops at positions peeked before the
   * DROP, so it reads none of it; the next one leaves the column out and says so, losing nothing.
   */
  @Test
  void aSelectedColumnDroppedDuringACopyLosesNothingAndIsNamedInTheNextSync() throws Exception {
    vitess.createTable("rv_drop_copy", WITH_EXTRA);
    vitess.insertRows(vitess.keyspace, "rv_drop_copy", 1, MID_COPY_ROWS);
    Path config = config("");
    Path catalog = syncs.deselect(syncs.catalog(config, "incremental", "rv_drop_copy"), "rv_drop_copy", "extra");
    AlteredCopy altered = alteredMidCopy("rv_drop_copy", config, catalog,
        "ALTER TABLE rv_drop_copy DROP COLUMN amount", "INSERT INTO rv_drop_copy (id, note) VALUES (30000, 'late')",
        "UPDATE rv_drop_copy SET note = 'changed' WHERE id = 3");
    ConnectorRun next = altered.next();
    JsonNode late = altered.destination().get(30000L);
    assertTrue(late.path("amount").isMissingNode(), late.toString());
    assertTrue(logs(next, "WARN").stream().anyMatch(m -> m.contains("rv_drop_copy no longer has the configured"
        + " column(s) amount")), logs(next, "WARN").toString());
  }

  @Test
  void truncateKeepsTheDestinationsRowsAndWarnsNamingTheTable() throws Exception {
    createOrders("rv_truncate", 6);
    Path config = config("");
    Path catalog = syncs.catalog(config, "incremental", "rv_truncate");
    ConnectorRun first = syncs.read(config, catalog, null);
    syncs.assertSucceeded(first);

    vitess.execute("TRUNCATE TABLE rv_truncate", "INSERT INTO rv_truncate (id, note, amount) VALUES (100, 'x', 1)");
    ConnectorRun second = syncs.read(config, catalog, syncs.state(first));
    syncs.assertSucceeded(second);
    assertEquals(Set.of(100L), ids(second.records("rv_truncate")), "a TRUNCATE sends no row deletes");
    assertTrue(second.ofType("LOG").stream().anyMatch(l -> l.path("log").path("level").asText().equals("WARN")
        && l.path("log").path("message").asText().contains("rv_truncate")
        && l.path("log").path("message").asText().toLowerCase(java.util.Locale.ROOT).contains("truncate")),
        "a WARN names the truncated table: " + second);
  }

  // ---------------------------------------------------------------------------------- bad positions

  @Test
  void aShardsFilterNamingAMissingShardIsAConfigError() throws Exception {
    createOrders("rv_filter", 4);
    Path config = config(", \"shards\": \"-80,c0-\"");
    ConnectorRun check = ConnectorRun.of("check", "--config", config.toString());
    assertEquals("FAILED", check.only("CONNECTION_STATUS").path("connectionStatus").path("status").asText(),
        check.toString());
    ConnectorRun refused = syncs.read(config, syncs.catalog(config(""), "incremental", "rv_filter"), null);
    assertNotEquals(0, refused.exit);
    assertEquals("config_error", refused.error().path("failure_type").asText(), refused.toString());
    assertTrue(refused.error().path("message").asText().contains("c0-"), refused.toString());
  }

  @Test
  void aStartingPositionTheTabletsNeverHadIsAConfigErrorNamingItsSource() throws Exception {
    createOrders("rv_ahead", 4);
    Map<String, String> ahead = new HashMap<>();
    for (String shard : vitess.shards()) {
      String position = vitess.position(shard);
      long sequence = Long.parseLong(position.substring(position.lastIndexOf('-') + 1));
      ahead.put(shard, position.substring(0, position.lastIndexOf('-') + 1) + (sequence + 1_000_000));
    }
    String gtids = "{\"" + vitess.keyspace + "\": {\"-80\": \"" + ahead.get("-80") + "\", \"80-\": \""
        + ahead.get("80-") + "\"}}";
    Path config = config(", \"starting_gtids\": " + ConnectorRun.JSON.writeValueAsString(gtids));
    ConnectorRun run = syncs.read(config, syncs.catalog(config, "incremental", "rv_ahead"), null);
    assertNotEquals(0, run.exit, "a position ahead of the shard is never 'up to date': " + run);
    assertEquals("config_error", run.error().path("failure_type").asText(), run.toString());
    String message = run.error().path("message").asText();
    assertTrue(message.contains("starting_gtids") && message.contains("rv_ahead"), message);
  }
}
