package dev.sourcevitess.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.vstream.fake.ColumnDef;
import dev.sourcevitess.vstream.fake.FakeKeyspace;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import dev.sourcevitess.vstream.fake.TableDef;
import dev.sourcevitess.vstream.proto.PsdbConnect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a process under VSTREAM: the schema from MariaDB, the streams from the fake VTGate on
 * loopback, as a self-hosted Vitess would serve them.
 */
class VStreamEndToEndIT {
  static final String KEYSPACE = "e2e_vs";
  static final String USER = "e2e_user";
  static final String PASSWORD = "e2e-Pa55-w0rd!";
  static final TableDef CUSTOMER = TableDef.of("customer", List.of("id"), ColumnDef.notNull("id", "bigint"),
      ColumnDef.nullable("name", "varchar(64)"), ColumnDef.nullable("balance", "decimal(12,4)"),
      ColumnDef.nullable("status", "enum('new','active','closed')"));

  @TempDir
  Path dir;

  private FakeVitess vitess;
  private FakeKeyspace keyspace;
  private FakeVtgate vtgate;

  @BeforeAll
  static void schema() throws Exception {
    MariaDb.script("/e2e_types.sql");
    MariaDb.execute("DROP DATABASE IF EXISTS " + KEYSPACE + "; CREATE DATABASE " + KEYSPACE + ";"
        + " CREATE TABLE " + KEYSPACE + ".customer (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(64) NULL,"
        + " balance DECIMAL(12,4) NULL, status ENUM('new','active','closed') NULL);"
        + " GRANT ALL ON " + KEYSPACE + ".* TO '" + USER + "'@'%'; GRANT ALL ON " + KEYSPACE + ".* TO '" + USER
        + "'@'localhost';");
  }

  @BeforeEach
  void vtgate() {
    vitess = new FakeVitess();
    keyspace = vitess.addKeyspace(KEYSPACE, "-80", "80-");
    keyspace.createTable(CUSTOMER);
    for (int id = 1; id <= 6; id++) {
      insert(id, "c" + id);
    }
    vtgate = FakeVtgate.tcp(vitess).requireCredentials(USER, PASSWORD).copyBatchSize(2);
  }

  @AfterEach
  void stop() {
    vtgate.close();
  }

  private static String shardOf(long id) {
    return id % 2 == 0 ? "-80" : "80-";
  }

  private void insert(long id, String name) {
    keyspace.shard(shardOf(id)).commit(tx -> tx.insert("customer", String.valueOf(id), name, id + ".5", "new"));
  }

  private Path config(String extra) throws Exception {
    Path file = Files.createTempFile(dir, "config", ".json");
    Files.writeString(file, "{\"host\": \"127.0.0.1\", \"port\": 3306, \"grpc_port\": " + vtgate.port()
        + ", \"database\": \"" + KEYSPACE + "\", \"username\": \"" + USER + "\", \"password\": \"" + PASSWORD
        + "\", \"tls_mode\": \"disabled\", \"cells\": \"zone1\"" + extra + "}");
    return file;
  }

  private Path catalog(Path config, String syncMode) throws Exception {
    ConnectorRun discover = ConnectorRun.of("discover", "--config", config.toString());
    assertEquals(0, discover.exit, discover.toString());
    Path file = Files.createTempFile(dir, "catalog", ".json");
    Files.writeString(file, discover.configuredCatalog(syncMode, Set.of()));
    return file;
  }

  private Path state(ConnectorRun run) throws Exception {
    Path file = Files.createTempFile(dir, "state", ".json");
    Files.writeString(file, ConnectorRun.lastStates(run));
    return file;
  }

  private ConnectorRun read(Path config, Path catalog, Path state) throws Exception {
    ConnectorRun run = state == null
        ? ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString())
        : ConnectorRun.of("read", "--config", config.toString(), "--catalog", catalog.toString(), "--state",
            state.toString());
    run.assertOnlyMessages();
    run.assertNothingContains(PASSWORD);
    return run;
  }

  private static Set<Long> ids(List<JsonNode> records) {
    return records.stream().map(r -> r.path("id").longValue()).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void discoverOffersIncrementalWithTheChangeColumns() throws Exception {
    ConnectorRun discover = ConnectorRun.of("discover", "--config", config("").toString());
    JsonNode customer = discover.only("CATALOG").path("catalog").path("streams").get(0);
    assertEquals(List.of("full_refresh", "incremental"), List.of(customer.path("supported_sync_modes").get(0)
        .asText(), customer.path("supported_sync_modes").get(1).asText()));
    assertTrue(customer.path("source_defined_cursor").booleanValue());
    assertEquals("[\"_ab_cdc_cursor\"]", customer.path("default_cursor_field").toString());
    JsonNode properties = customer.path("json_schema").path("properties");
    for (String column : List.of("_ab_cdc_updated_at", "_ab_cdc_deleted_at", "_ab_cdc_cursor")) {
      assertTrue(properties.has(column), column);
    }
  }

  @Test
  void checkProvesVstreamAccessAndNamesARefusal() throws Exception {
    ConnectorRun ok = ConnectorRun.of("check", "--config", config("").toString());
    assertEquals("SUCCEEDED", ok.only("CONNECTION_STATUS").path("connectionStatus").path("status").asText(),
        ok.toString());
    assertTrue(vtgate.vstreamCalls() >= 1, "check opens a short VStream");

    vtgate.close();
    vtgate = FakeVtgate.tcp(vitess).requireCredentials(USER, "another password");
    ConnectorRun refused = ConnectorRun.of("check", "--config", config("").toString());
    JsonNode status = refused.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("FAILED", status.path("status").asText());
    assertTrue(status.path("message").asText().contains(USER), status.toString());
    refused.assertNothingContains(PASSWORD);
  }

  @Test
  void checkRefusesAShardsFilterThatReadRefuses() throws Exception {
    ConnectorRun check = ConnectorRun.of("check", "--config", config(", \"shards\": \"-80,c0-\"").toString());
    assertEquals(0, check.exit, check.toString());
    JsonNode status = check.only("CONNECTION_STATUS").path("connectionStatus");
    assertEquals("FAILED", status.path("status").asText(), status.toString());
    assertEquals("The shards filter names c0-, not shards of e2e_vs; its shards are -80, 80-.",
        status.path("message").asText());
  }

  @Test
  void theMysqlPortPointedAtVtgatesGrpcPortSaysSo() throws Exception {
    Path atGrpc = Files.createTempFile(dir, "config", ".json");
    Files.writeString(atGrpc, Files.readString(config("")).replace("\"port\": 3306", "\"port\": " + vtgate.port()));
    ConnectorRun check = ConnectorRun.of("check", "--config", atGrpc.toString());
    assertEquals(0, check.exit, check.toString());
    String message = check.only("CONNECTION_STATUS").path("connectionStatus").path("message").asText();
    assertTrue(message.startsWith("127.0.0.1:" + vtgate.port() + " answered, but not as a MySQL server does"),
        message);
    ConnectorRun discover = ConnectorRun.of("discover", "--config", atGrpc.toString());
    assertEquals(1, discover.exit);
    assertEquals("config_error", discover.error().path("failure_type").asText(), discover.toString());
  }

  @Test
  void fullRefreshReadsEveryShard() throws Exception {
    Path config = config("");
    ConnectorRun run = read(config, catalog(config, "full_refresh"), null);
    assertEquals(0, run.exit, run.toString());
    assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), ids(run.records("customer")));
    assertEquals(List.of("STARTED", "RUNNING", "COMPLETE"), run.statuses("customer"));
    JsonNode one = run.records("customer").stream().filter(r -> r.path("id").longValue() == 1).findFirst()
        .orElseThrow();
    assertEquals("new", one.path("status").asText());
    assertTrue(one.path("_ab_cdc_updated_at").asText().endsWith("Z"));
    assertTrue(one.path("_ab_cdc_deleted_at").isNull());
    assertTrue(one.path("_ab_cdc_cursor").canConvertToLong());
  }

  @Test
  void incrementalCapturesInsertsUpdatesAndDeletesThenOnlyPeeksWhenNothingIsNew() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());
    assertEquals(6, first.records("customer").size());

    insert(7, "seven");
    keyspace.shard("-80").commit(tx -> tx.update("customer", "2", "renamed", "-0.25", "active"));
    keyspace.shard("80-").commit(tx -> tx.delete("customer", "3"));
    ConnectorRun second = read(config, catalog, state(first));
    assertEquals(0, second.exit, second.toString());
    List<JsonNode> changes = second.records("customer");
    assertEquals(3, changes.size(), second.toString());
    JsonNode updated = changes.stream().filter(r -> r.path("id").longValue() == 2).findFirst().orElseThrow();
    assertEquals("renamed", updated.path("name").asText());
    assertEquals("active", updated.path("status").asText());
    JsonNode deleted = changes.stream().filter(r -> r.path("id").longValue() == 3).findFirst().orElseThrow();
    assertTrue(deleted.path("_ab_cdc_deleted_at").asText().endsWith("Z"), "deletes are captured");
    assertEquals("c3", deleted.path("name").asText(), "with the row's last values");
    long lastCursorOfFirst = first.records("customer").stream().mapToLong(r -> r.path("_ab_cdc_cursor").longValue())
        .max().orElseThrow();
    assertTrue(changes.stream().allMatch(r -> r.path("_ab_cdc_cursor").longValue() > lastCursorOfFirst));

    int callsBefore = vtgate.vstreamCalls();
    ConnectorRun third = read(config, catalog, state(second));
    assertEquals(0, third.exit, third.toString());
    assertEquals(1, vtgate.vstreamCalls() - callsBefore, "nothing new: only the peek");
    assertTrue(third.records("customer").isEmpty());
    assertEquals(List.of("STARTED", "RUNNING", "COMPLETE"), third.statuses("customer"));
    assertEquals(second.states("customer").get(second.states("customer").size() - 1).path("stream"),
        third.states("customer").get(0).path("stream"), "the state comes back unchanged");
  }

  @Test
  void theShardFilterReadsOnlyItsShardsAndRefusesUnknownOnes() throws Exception {
    Path config = config(", \"shards\": \"80-\"");
    ConnectorRun run = read(config, catalog(config, "full_refresh"), null);
    assertEquals(0, run.exit, run.toString());
    assertEquals(Set.of(1L, 3L, 5L), ids(run.records("customer")));

    Path unknown = config(", \"shards\": \"-80,c0-\"");
    ConnectorRun refused = read(unknown, catalog(unknown, "full_refresh"), null);
    assertEquals(1, refused.exit);
    assertEquals("config_error", refused.error().path("failure_type").asText());
    assertTrue(refused.error().path("message").asText().contains("c0-"), refused.toString());
  }

  @Test
  void startingGtidsStartAStreamWithoutStateThere() throws Exception {
    String low = keyspace.shard("-80").position();
    String high = keyspace.shard("80-").position();
    insert(8, "after the start");
    Path config = config(", \"starting_gtids\": " + ConnectorRun.JSON.writeValueAsString(
        "{\"" + KEYSPACE + "\": {\"-80\": \"" + low + "\", \"80-\": \"" + high + "\"}}"));
    ConnectorRun run = read(config, catalog(config, "incremental"), null);
    assertEquals(0, run.exit, run.toString());
    assertEquals(Set.of(8L), ids(run.records("customer")), "no copy, only what came after");
  }

  /** VTGate heartbeats while a tablet reads a long transaction: the sync reads on to the peeked position. */
  @Test
  void aTransactionLongerThanTheHeartbeatIntervalIsReadInTheSameSyncThroughOneVStream() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());

    insert(7, "long");
    insert(8, "also long");
    vtgate.heartbeatIdle(java.time.Duration.ofMillis(50)).transactionReadTime(java.time.Duration.ofMillis(400));
    int callsBefore = vtgate.vstreamCalls();
    ConnectorRun second = read(config, catalog, state(first));
    assertEquals(0, second.exit, second.toString());
    assertEquals(Set.of(7L, 8L), ids(second.records("customer")), second.toString());
    assertEquals(2, vtgate.vstreamCalls() - callsBefore, "the peek, then one VStream for both shards");
    JsonNode shards = second.states("customer").get(second.states("customer").size() - 1).path("stream")
        .path("stream_state").path("shards");
    assertEquals(2, shards.size(), shards.toString());
  }

  /** A starting position the shard never executed is VTGate's to refuse, and the refusal says where it came from. */
  @Test
  void aStartingGtidAheadOfTheShardIsAConfigErrorNamingTheStreamTheShardAndStartingGtids() throws Exception {
    String ahead = keyspace.shard("80-").position().replaceAll(":1-(\\d+)$", ":1-999");
    Path config = config(", \"starting_gtids\": " + ConnectorRun.JSON.writeValueAsString(
        "{\"" + KEYSPACE + "\": {\"80-\": \"" + ahead + "\"}}") + ", \"shards\": \"80-\"");
    ConnectorRun run = read(config, catalog(config, "incremental"), null);
    assertEquals(1, run.exit, run.toString());
    JsonNode error = run.error();
    assertEquals("config_error", error.path("failure_type").asText(), error.toString());
    String message = error.path("message").asText();
    assertTrue(message.contains("shard 80-") && message.contains(KEYSPACE + ".customer")
        && message.contains("starting_gtids"), message);
    assertEquals("INCOMPLETE", run.statuses("customer").get(run.statuses("customer").size() - 1));
  }

  @Test
  void planetScaleConnectorStateIsAcceptedWithoutResync() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    // PlanetScale's connector keeps one LEGACY blob: {"streams": {"keyspace:table": {"shards": ...}}}
    JsonNode shards = first.states("customer").get(first.states("customer").size() - 1).path("stream")
        .path("stream_state").path("shards");
    ObjectNode legacy = ConnectorRun.JSON.createObjectNode();
    legacy.put("type", "LEGACY");
    legacy.putObject("data").putObject("streams").putObject(KEYSPACE + ":customer").set("shards", shards);
    Path state = Files.createTempFile(dir, "legacy", ".json");
    Files.writeString(state, legacy.toString());

    insert(9, "nine");
    ConnectorRun next = read(config, catalog, state);
    assertEquals(0, next.exit, next.toString());
    assertEquals(Set.of(9L), ids(next.records("customer")), "resumed from PlanetScale's cursors");
    assertTrue(next.ofType("STATE").stream().allMatch(s -> s.path("state").path("type").asText().equals("STREAM")));
  }

  /**
   * Vitess over MariaDB: positions {@code MariaDB/0-<server id>-n} go through STATE, PlanetScale's
   * state and starting_gtids as MySQL56 ones do; a MySQL56 state is refused naming both flavors.
   */
  @Test
  void mariaDbPositionsWorkWhereMysqlOnesDo() throws Exception {
    keyspace.flavor(GtidPosition.Flavor.MARIADB);
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());
    assertEquals(6, first.records("customer").size());
    JsonNode shards = first.states("customer").get(first.states("customer").size() - 1).path("stream")
        .path("stream_state").path("shards");
    assertEquals(keyspace.shard("-80").position(), PsdbConnect.TableCursor.parseFrom(
        Base64.getDecoder().decode(shards.path("-80").path("cursor").asText())).getPosition());

    ObjectNode legacy = ConnectorRun.JSON.createObjectNode();
    legacy.putObject("streams").putObject(KEYSPACE + ":customer").set("shards", shards);
    Path planetScaleState = Files.createTempFile(dir, "legacy", ".json");
    Files.writeString(planetScaleState, legacy.toString());
    insert(9, "nine");
    ConnectorRun resumed = read(config, catalog, planetScaleState);
    assertEquals(0, resumed.exit, resumed.toString());
    assertEquals(Set.of(9L), ids(resumed.records("customer")));

    // as select @@gtid_binlog_pos prints them: without the prefix
    String low = keyspace.shard("-80").position().substring("MariaDB/".length());
    String high = keyspace.shard("80-").position().substring("MariaDB/".length());
    insert(10, "ten");
    Path starting = config(", \"starting_gtids\": " + ConnectorRun.JSON.writeValueAsString(
        "{\"" + KEYSPACE + "\": {\"-80\": \"" + low + "\", \"80-\": \"" + high + "\"}}"));
    ConnectorRun fromStart = read(starting, catalog, null);
    assertEquals(0, fromStart.exit, fromStart.toString());
    assertEquals(Set.of(10L), ids(fromStart.records("customer")));

    String mysqlCursor = Base64.getEncoder().encodeToString(PsdbConnect.TableCursor.newBuilder().setShard("-80")
        .setKeyspace(KEYSPACE).setPosition("MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5").build().toByteArray());
    ObjectNode mysqlState = ConnectorRun.JSON.createObjectNode();
    mysqlState.putObject("streams").putObject(KEYSPACE + ":customer").putObject("shards").putObject("-80")
        .put("cursor", mysqlCursor);
    Path fromMysql = Files.createTempFile(dir, "mysql", ".json");
    Files.writeString(fromMysql, mysqlState.toString());
    ConnectorRun refused = read(config, catalog, fromMysql);
    assertEquals(1, refused.exit, refused.toString());
    assertEquals("config_error", refused.error().path("failure_type").asText());
    String message = refused.error().path("message").asText();
    assertTrue(message.contains("MySQL56 position") && message.contains("reports MariaDB positions"), message);
  }

  @Test
  void aBrokenStreamIsRetriedFromItsLastCheckpoint() throws Exception {
    vtgate.failAfterEvents(7, false);
    Path config = config("");
    ConnectorRun run = read(config, catalog(config, "incremental"), null);
    assertEquals(0, run.exit, run.toString());
    assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), ids(run.records("customer")));
    assertTrue(run.ofType("LOG").stream().anyMatch(l -> l.path("log").path("level").asText().equals("WARN")));
  }

  @Test
  void retriesThatRunOutFailTheSyncWithATransientError() throws Exception {
    vtgate.failAfterEvents(3, true);
    Path config = config(", \"max_retries\": 1");
    ConnectorRun run = read(config, catalog(config, "incremental"), null);
    assertEquals(1, run.exit, "never exit 0 on partial data");
    assertEquals("transient_error", run.error().path("failure_type").asText());
    assertEquals("INCOMPLETE", run.statuses("customer").get(run.statuses("customer").size() - 1));
  }

  @Test
  void aReshardIsFollowedThroughTheJournal() throws Exception {
    vtgate.close();
    vitess = new FakeVitess();
    keyspace = vitess.addKeyspace(KEYSPACE, "-");
    keyspace.createTable(CUSTOMER);
    for (int id = 1; id <= 4; id++) {
      long row = id;
      keyspace.shard("-").commit(tx -> tx.insert("customer", String.valueOf(row), "c" + row, "1.0", "new"));
    }
    vtgate = FakeVtgate.tcp(vitess).requireCredentials(USER, PASSWORD);
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());

    keyspace.shard("-").commit(tx -> tx.update("customer", "1", "before reshard", "1.0", "active"));
    keyspace.reshard(List.of("-"), List.of("-80", "80-"));
    keyspace.shard("80-").commit(tx -> tx.insert("customer", "99", "after reshard", "2.0", "new"));
    keyspace.shard("-80").commit(tx -> tx.insert("customer", "98", "after reshard", "2.0", "new"));

    ConnectorRun second = read(config, catalog, state(first));
    assertEquals(0, second.exit, second.toString());
    Set<Long> changed = ids(second.records("customer"));
    assertTrue(changed.containsAll(Set.of(1L, 98L, 99L)), second.toString());
    JsonNode shards = second.states("customer").get(second.states("customer").size() - 1).path("stream")
        .path("stream_state").path("shards");
    assertTrue(shards.has("-80") && shards.has("80-"), shards.toString());
    assertFalse(shards.has("-"), "the old shard leaves the state");
  }

  @Test
  void aReshardWhoseJournalIsGoneRecopiesTheStreamWithAWarning() throws Exception {
    vtgate.close();
    vitess = new FakeVitess();
    keyspace = vitess.addKeyspace(KEYSPACE, "-");
    keyspace.createTable(CUSTOMER);
    keyspace.shard("-").commit(tx -> tx.insert("customer", "1", "one", "1.0", "new"));
    keyspace.shard("-").commit(tx -> tx.insert("customer", "2", "two", "1.0", "new"));
    vtgate = FakeVtgate.tcp(vitess).requireCredentials(USER, PASSWORD);
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());

    var old = keyspace.shard("-");
    old.commit(tx -> tx.insert("customer", "3", "three", "1.0", "new"));
    keyspace.reshard(List.of("-"), List.of("-80", "80-"));
    old.purgeBinlogsThrough(old.transactions());

    ConnectorRun second = read(config, catalog, state(first));
    assertEquals(0, second.exit, second.toString());
    assertEquals(Set.of(1L, 2L, 3L), ids(second.records("customer")), "copied again from the new shards");
    assertTrue(second.ofType("LOG").stream().anyMatch(l -> l.path("log").path("level").asText().equals("WARN")
        && l.path("log").path("message").asText().contains("Copying it again")), second.toString());
    JsonNode shards = second.states("customer").get(second.states("customer").size() - 1).path("stream")
        .path("stream_state").path("shards");
    assertTrue(shards.has("-80") && shards.has("80-") && !shards.has("-"), shards.toString());
  }

  @Test
  void aTruncateKeepsTheSyncGoingWithAWarningNamingTheTable() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());

    keyspace.shard("-80").ddl("truncate table customer");
    ConnectorRun second = read(config, catalog, state(first));
    assertEquals(0, second.exit, second.toString());
    assertTrue(second.ofType("LOG").stream().anyMatch(l -> l.path("log").path("level").asText().equals("WARN")
        && l.path("log").path("message").asText().contains("customer was truncated")
        && l.path("log").path("message").asText().contains("full refresh")), second.toString());
  }

  @Test
  void aDdlHoldingCredentialsIsLoggedWithThemMasked() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());

    keyspace.shard("-80").ddl("CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password'"
        + " AS '$A$005$e2e-hash\\'with-quote' REQUIRE NONE");
    keyspace.shard("80-").ddl("alter table customer comment '" + PASSWORD + "'");
    ConnectorRun second = read(config, catalog, state(first));
    assertEquals(0, second.exit, second.toString());
    second.assertNothingContains("e2e-hash");
    List<String> ddl = second.ofType("LOG").stream().map(l -> l.path("log").path("message").asText())
        .filter(m -> m.startsWith("DDL on " + KEYSPACE)).toList();
    // the shards stream side by side: their DDLs come in either order
    assertEquals(Set.of("DDL on " + KEYSPACE + ": CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS"
        + " '******' REQUIRE NONE", "DDL on " + KEYSPACE + ": alter table customer comment '******'"), Set.copyOf(ddl));
  }

  @Test
  void tabletsThatWritePartialRowImagesFailTheSyncWithTheSettingToChange() throws Exception {
    Path config = config("");
    Path catalog = catalog(config, "incremental");
    ConnectorRun first = read(config, catalog, null);
    assertEquals(0, first.exit, first.toString());

    insert(7, "seven");
    vtgate.binlogRowImage(dev.sourcevitess.vstream.fake.Quirks.RowImage.MINIMAL, false);
    ConnectorRun second = read(config, catalog, state(first));
    assertEquals(1, second.exit, second.toString());
    assertEquals("config_error", second.error().path("failure_type").asText());
    assertTrue(second.error().path("message").asText().contains("binlog_row_image=FULL"), second.toString());
  }
}
