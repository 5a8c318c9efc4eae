package dev.sourcevitess.vstream;

import static dev.sourcevitess.vstream.fake.ColumnDef.notNull;
import static dev.sourcevitess.vstream.fake.ColumnDef.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.model.ValueWriter;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.UnknownColumnException;
import dev.sourcevitess.vstream.fake.CallRecord;
import dev.sourcevitess.vstream.fake.FakeKeyspace;
import dev.sourcevitess.vstream.fake.FakeShard;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import dev.sourcevitess.vstream.fake.TableDef;
import io.vitess.proto.Query;
import io.vitess.proto.Topodata;
import io.vitess.proto.Vtgate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VtgateChangeStreamsTest {
  static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
  static final TableDef CUSTOMER = TableDef.of("customer", List.of("id"),
      notNull("id", "bigint"), nullable("email", "varchar(128)"),
      nullable("status", "enum('new','paid')"), nullable("tags", "set('a','b','c')"));
  static final TableDef ORDERS = TableDef.of("orders", List.of("id"),
      notNull("id", "bigint"), notNull("total", "decimal(10,2)"));

  private final FakeVitess vitess = new FakeVitess(Clock.fixed(NOW, ZoneOffset.UTC));
  private FakeVtgate vtgate;

  @BeforeEach
  void start() {
    vtgate = FakeVtgate.inProcess(vitess).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
  }

  @AfterEach
  void stop() {
    vtgate.close();
  }

  private ChangeStreams streams() {
    return streams(config(20), TestConfigs.PASSWORD);
  }

  private ChangeStreams streams(SourceConfig config, String password) {
    return new VtgateChangeStreams(vtgate.channel(),
        new VtgateCredentials(config.username(), new Secret(password)), config, Duration.ofSeconds(1));
  }

  private static SourceConfig config(int timeoutSeconds) {
    return TestConfigs.config("fake", 1, TlsMode.DISABLED, TestConfigs.USER, TestConfigs.PASSWORD,
        timeoutSeconds, false, false, Optional.empty());
  }

  private FakeKeyspace commerce(String... shards) {
    FakeKeyspace keyspace = vitess.addKeyspace("commerce", shards);
    keyspace.createTable(CUSTOMER).createTable(ORDERS);
    return keyspace;
  }

  private static List<List<String>> customers(int from, int to) {
    List<List<String>> rows = new ArrayList<>();
    for (int id = from; id <= to; id++) {
      rows.add(Arrays.asList(Integer.toString(id), "c" + id + "@example.com", "new", id % 2 == 0 ? "a,c" : null));
    }
    return rows;
  }

  private static ChangeStreams.Request request(String table, ChangeStreams.Start... starts) {
    return new ChangeStreams.Request("commerce", table, List.of(starts));
  }

  private static LastKey key(String id) {
    return new LastKey(List.of(KeyValue.text("id", Query.Type.INT64_VALUE, id)));
  }

  private static List<String> lastKeys(List<ChangeEvent.Vgtid> vgtids) {
    List<String> keys = new ArrayList<>();
    for (ChangeEvent.Vgtid vgtid : vgtids) {
      LastKey key = vgtid.shards().get(0).lastPk();
      keys.add(key == null ? null : new String(key.values().get(0).value(), StandardCharsets.UTF_8));
    }
    return keys;
  }

  // ------------------------------------------------------------------ positions

  @Test
  void currentPositionsListEveryShard() throws Exception {
    FakeKeyspace keyspace = commerce("-40", "40-80", "80-c0", "c0-");
    keyspace.shard("40-80").commit(tx -> tx.insert("customer", "1", null, null, null));
    keyspace.shard("c0-").commit(tx -> tx.insert("customer", "2", null, null, null));
    keyspace.shard("c0-").commit(tx -> tx.insert("customer", "3", null, null, null));

    Map<Shard, String> positions = streams().currentPositions("commerce");

    Map<Shard, String> expected = new TreeMap<>();
    keyspace.positions().forEach((shard, position) -> expected.put(new Shard(shard), position));
    assertEquals(expected, positions);
    CallRecord call = vtgate.lastCall();
    assertEquals("", call.request().getVgtid().getShardGtids(0).getShard());
    assertEquals("current", call.request().getVgtid().getShardGtids(0).getGtid());
    assertTrue(call.awaitEnd(Duration.ofSeconds(5)));
    assertTrue(call.cancelledByClient());
    // VTGate lists not-yet-heard shards as "current": the peek reads on until all are known
    // (counted once the call has ended: the server counts an event after handing it over)
    assertTrue(call.eventsSent() >= 7, "events sent: " + call.eventsSent());
  }

  @Test
  void everyCallCarriesBasicCredentials() {
    commerce("-");
    streams().currentPositions("commerce");
    assertEquals("Basic " + Base64.getEncoder().encodeToString(
            (TestConfigs.USER + ":" + TestConfigs.PASSWORD).getBytes(StandardCharsets.UTF_8)),
        vtgate.lastCall().authorization());
  }

  @Test
  void aVtgateWithStaticAuthTakesTheUsernameAndPasswordKeys() {
    commerce("-");
    try (FakeVtgate selfHosted = FakeVtgate.inProcess(vitess)
        .requireStaticAuth(TestConfigs.USER, TestConfigs.PASSWORD)) {
      ChangeStreams streams = new VtgateChangeStreams(selfHosted.channel(),
          new VtgateCredentials(TestConfigs.USER, new Secret(TestConfigs.PASSWORD)), config(20), Duration.ofSeconds(1));
      assertEquals(Set.of(Shard.UNSHARDED), streams.currentPositions("commerce").keySet());
    }
  }

  @Test
  void aWrongPasswordForStaticAuthIsAccessDeniedWithoutThePassword() {
    commerce("-");
    String wrong = "static-WRONG-secret-7";
    try (FakeVtgate selfHosted = FakeVtgate.inProcess(vitess)
        .requireStaticAuth(TestConfigs.USER, TestConfigs.PASSWORD)) {
      ChangeStreams streams = new VtgateChangeStreams(selfHosted.channel(),
          new VtgateCredentials(TestConfigs.USER, new Secret(wrong)), config(20), Duration.ofSeconds(1));
      ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams.currentPositions("commerce"));
      assertEquals(ChangeStreamException.Reason.ACCESS_DENIED, e.reason());
      assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
      assertSecretFree(e, wrong);
    }
  }

  @Test
  void aPasswordBeyondPrintableAsciiGoesOnlyInTheBasicForm() {
    commerce("-");
    String password = "p\u00e4ss";
    try (FakeVtgate planetScale = FakeVtgate.inProcess(vitess).requireCredentials(TestConfigs.USER, password)) {
      ChangeStreams streams = new VtgateChangeStreams(planetScale.channel(),
          new VtgateCredentials(TestConfigs.USER, new Secret(password)), config(20), Duration.ofSeconds(1));
      assertEquals(Set.of(Shard.UNSHARDED), streams.currentPositions("commerce").keySet());
    }
  }

  // ------------------------------------------------------------------ copy

  @Test
  void copiesInBatchesWithLastKeys() {
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 5));
    vtgate.copyBatchSize(2);
    Recorder recorder = Recorder.untilCopyDone();

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", null)), recorder);

    assertEquals(List.of("Begin", "Fields", "Vgtid", "Row", "Row", "Vgtid", "Commit",
        "Row", "Row", "Vgtid", "Commit", "Row", "Vgtid", "Commit",
        "Begin", "Vgtid", "Commit", "CopyCompleted", "CopyCompleted"), recorder.shape());
    assertEquals(List.of("1", "2", "3", "4", "5"),
        recorder.rows().stream().map(r -> r.after().get(0)).toList());
    assertTrue(recorder.rows().stream().allMatch(r ->
        r.operation() == ChangeEvent.Operation.INSERT && r.before() == null && r.eventTime() == null));
    assertEquals(Arrays.asList("2", "c2@example.com", "new", "a,c"), recorder.rows().get(1).after());
    assertEquals(Arrays.asList("1", "c1@example.com", "new", null), recorder.rows().get(0).after());
    List<ChangeEvent.Vgtid> vgtids = recorder.of(ChangeEvent.Vgtid.class);
    assertEquals(Arrays.asList(null, "2", "4", "5", null), lastKeys(vgtids));
    assertTrue(vgtids.stream().allMatch(v -> v.shards().get(0).position().equals(shard.position())));
    assertEquals(Query.Type.INT64_VALUE, vgtids.get(1).shards().get(0).lastPk().values().get(0).typeTag());
    assertEquals(List.of(new ChangeEvent.CopyCompleted("commerce", Shard.UNSHARDED),
        new ChangeEvent.CopyCompleted("", null)), recorder.of(ChangeEvent.CopyCompleted.class));
    ChangeEvent.Fields fields = recorder.of(ChangeEvent.Fields.class).get(0);
    assertEquals("customer", fields.table());
    assertEquals(List.of(false, true, true, true), fields.columns().stream().map(Column::nullable).toList());
  }

  @Test
  void aCopyOverShardsEndsWithOneCopyCompletedPerShardThenOneForAll() {
    FakeKeyspace keyspace = commerce("-80", "80-");
    keyspace.shard("-80").load("customer", customers(1, 3));
    keyspace.shard("80-").load("customer", customers(4, 7));
    vtgate.copyBatchSize(2);
    Recorder recorder = Recorder.untilCopyDone();

    streams().stream(request("customer",
        new ChangeStreams.Start(new Shard("-80"), "", null),
        new ChangeStreams.Start(new Shard("80-"), "", null)), recorder);

    assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"),
        recorder.rows().stream().map(r -> r.after().get(0)).sorted().toList());
    List<ChangeEvent.CopyCompleted> completed = recorder.of(ChangeEvent.CopyCompleted.class);
    assertEquals(3, completed.size());
    assertEquals(List.of(new Shard("-80"), new Shard("80-")),
        completed.subList(0, 2).stream().map(ChangeEvent.CopyCompleted::shard).sorted().toList());
    assertNull(completed.get(2).shard());
    ChangeEvent.Vgtid last = recorder.of(ChangeEvent.Vgtid.class).get(recorder.of(ChangeEvent.Vgtid.class).size() - 1);
    assertEquals(List.of(keyspace.shard("-80").position(), keyspace.shard("80-").position()),
        last.shards().stream().map(ChangeEvent.ShardPosition::position).toList());
  }

  @Test
  void aDeselectedColumnNeverReachesTheConnectorInTheCopyOrTheStream() {
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 2));
    String copied = shard.position();
    shard.commit(tx -> tx.update("customer", "2", "secret@example.com", "paid", "b"));
    List<String> columns = List.of("id", "status");
    Recorder copy = Recorder.untilCopyDone();
    streams().stream(new ChangeStreams.Request("commerce", "customer",
        List.of(new ChangeStreams.Start(Shard.UNSHARDED, "", null)), columns), copy);
    Recorder change = Recorder.until(ChangeEvent.Commit.class::isInstance);
    streams().stream(new ChangeStreams.Request("commerce", "customer",
        List.of(new ChangeStreams.Start(Shard.UNSHARDED, copied, null)), columns), change);

    assertEquals("SELECT `id`, `status` FROM `customer`",
        vtgate.lastCall().request().getFilter().getRules(0).getFilter());
    for (Recorder recorder : List.of(copy, change)) {
      List<ChangeEvent.Fields> fields = recorder.of(ChangeEvent.Fields.class);
      assertFalse(fields.isEmpty());
      fields.forEach(f -> assertEquals(columns, f.columns().stream().map(Column::name).toList()));
      assertFalse(recorder.events().toString().contains("example.com"), "no email crossed the wire");
    }
    assertEquals(List.of(List.of("1", "new"), List.of("2", "paid")),
        copy.rows().stream().map(Recorder.Row::after).toList());
    assertEquals(List.of("2", "new"), change.rows().get(0).before());
    assertEquals(List.of("2", "paid"), change.rows().get(0).after());
  }

  @Test
  void aColumnDroppedMidStreamFailsARuleNamingItAsVitessDoesAndNotOneWithout() {
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 2));
    String before = shard.position();
    shard.commit(tx -> tx.update("customer", "1", "a@example.com", "paid", "a"));
    shard.dropColumn("customer", "email");
    shard.commit(tx -> tx.update("customer", "2", "paid", "b"));
    UnknownColumnException gone = assertThrows(UnknownColumnException.class, () -> streams().stream(new ChangeStreams.Request(
        "commerce", "customer", List.of(new ChangeStreams.Start(Shard.UNSHARDED, before, null)),
        List.of("id", "email", "status")), Recorder.until(e -> false)));
    assertEquals(List.of("customer", "email"), List.of(gone.table(), gone.column()));

    Recorder without = untilSecondCommit();
    streams().stream(new ChangeStreams.Request("commerce", "customer",
        List.of(new ChangeStreams.Start(Shard.UNSHARDED, before, null)), List.of("id", "status")), without);
    assertEquals(List.of(List.of("1", "paid"), List.of("2", "paid")),
        without.rows().stream().map(Recorder.Row::after).toList());
    assertTrue(without.events().stream().anyMatch(ChangeEvent.Ddl.class::isInstance));
  }

  /** A recorder until the second commit: the transaction before an ALTER and the one after. */
  private static Recorder untilSecondCommit() {
    int[] commits = {0};
    return Recorder.until(e -> e instanceof ChangeEvent.Commit && ++commits[0] == 2);
  }

  @Test
  void columnsAddedOrRenamedMidStreamComeInNewFieldEventsAfterTheDdl() {
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 2));
    String before = shard.position();
    shard.commit(tx -> tx.update("customer", "1", "a@example.com", "paid", "a"));
    shard.renameColumn("customer", "email", "mail");
    shard.addColumn("customer", nullable("color", "varchar(16)"));
    shard.commit(tx -> tx.update("customer", "2", "b@example.com", "paid", "b", "red"));
    Recorder all = untilSecondCommit();
    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, before, null)), all);

    List<List<String>> fields = all.of(ChangeEvent.Fields.class).stream()
        .map(f -> f.columns().stream().map(Column::name).toList()).toList();
    assertEquals(List.of(List.of("id", "email", "status", "tags"), List.of("id", "mail", "status", "tags", "color")),
        fields);
    assertEquals(2, all.of(ChangeEvent.Ddl.class).size());
    assertEquals(List.of("2", "b@example.com", "paid", "b", "red"), all.rows().get(1).after());
    assertEquals(Arrays.asList("1", "a@example.com", "paid", "a", null), shard.rows("customer").get(0),
        "the rows there before the ALTER keep their values, and have no color");
  }

  @Test
  void aFilterWithoutTheKeyOrWithAnUnknownColumnIsRefusedByTheFake() {
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 2));
    for (List<String> columns : List.of(List.of("status"), List.of("id", "nope"))) {
      assertThrows(ChangeStreamException.class, () -> streams().stream(new ChangeStreams.Request("commerce",
          "customer", List.of(new ChangeStreams.Start(Shard.UNSHARDED, "", null)), columns),
          Recorder.untilCopyDone()));
    }
  }

  @Test
  void aCopyStartedAfterALastKeyCopiesTheRest() {
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 5));
    Recorder recorder = Recorder.untilCopyDone();

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", key("3"))), recorder);

    assertEquals(List.of("4", "5"), recorder.rows().stream().map(r -> r.after().get(0)).toList());
    assertEquals("3", lastKeys(recorder.of(ChangeEvent.Vgtid.class)).get(0));
    ChangeStreams.Start start = new ChangeStreams.Start(Shard.UNSHARDED, "", key("3"));
    assertEquals("customer", vtgate.lastCall().request().getVgtid().getShardGtids(0).getTablePKs(0).getTableName());
    assertEquals(start.lastPk(), LastKeyProto.fromQueryResult(
        vtgate.lastCall().request().getVgtid().getShardGtids(0).getTablePKs(0).getLastpk()));
  }

  /** A previous run copied ids 1..3 at {@code copiedAt}; three transactions followed. */
  private Recorder resumeCopy(boolean copiedRowsOnly) {
    vtgate.catchUpCopiedRowsOnly(copiedRowsOnly);
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 6));
    String copiedAt = shard.position();
    shard.commit(tx -> tx.update("customer", "2", "two@example.com", "paid", null));
    shard.commit(tx -> tx.update("customer", "5", "five@example.com", "paid", null));
    shard.commit(tx -> tx.insert("customer", "7", "c7@example.com", null, null));
    Recorder recorder = Recorder.untilCopyDone();
    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, copiedAt, key("3"))), recorder);
    return recorder;
  }

  @Test
  void aCopyResumedFromAPositionCatchesUpThenGoesOnAsVitessDoes() {
    Recorder recorder = resumeCopy(false);

    List<Recorder.Row> rows = recorder.rows();
    // the catch-up shows every change of the table being copied (at least once), copied or not
    assertEquals(ChangeEvent.Operation.UPDATE, rows.get(0).operation());
    assertEquals(Arrays.asList("2", "two@example.com", "paid", null), rows.get(0).after());
    assertEquals(NOW, rows.get(0).eventTime());
    assertEquals(List.of("2", "5", "7", "4", "5", "6", "7"),
        rows.stream().map(r -> r.after().get(0)).toList());
    assertEquals(List.of(ChangeEvent.Operation.UPDATE, ChangeEvent.Operation.UPDATE,
            ChangeEvent.Operation.INSERT, ChangeEvent.Operation.INSERT),
        rows.subList(0, 4).stream().map(Recorder.Row::operation).toList());
    assertEquals("five@example.com", rows.get(4).after().get(1));
    assertEquals(List.of("Begin", "Fields", "Row", "Vgtid", "Commit", "Begin", "Row", "Vgtid", "Commit",
            "Begin", "Row", "Vgtid", "Commit", "Begin", "Fields", "Row"),
        recorder.shape().subList(0, 16));
  }

  @Test
  void aStricterCatchUpShowsOnlyCopiedRows() {
    Recorder recorder = resumeCopy(true);

    assertEquals(List.of("2", "4", "5", "6", "7"),
        recorder.rows().stream().map(r -> r.after().get(0)).toList());
    assertEquals(List.of("Begin", "Fields", "Row", "Vgtid", "Commit", "Begin", "Vgtid", "Commit",
            "Begin", "Vgtid", "Commit", "Begin", "Fields", "Row"),
        recorder.shape().subList(0, 14));
  }

  @Test
  void streamingGoesOnFromTheCopysSnapshot() {
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 2));
    Recorder recorder = Recorder.until(e -> e instanceof ChangeEvent.Commit c && c.commitTime() != null);
    ChangeStreams.Handler handler = event -> {
      if (event instanceof ChangeEvent.CopyCompleted done && done.shard() == null) {
        shard.commit(tx -> tx.insert("customer", "3", "late@example.com", null, null));
      }
      return recorder.onEvent(event);
    };

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", null)), handler);

    Recorder.Row late = recorder.rows().get(recorder.rows().size() - 1);
    assertEquals(Arrays.asList("3", "late@example.com", null, null), late.after());
    assertEquals(NOW, late.eventTime());
    ChangeEvent.Vgtid vgtid = recorder.of(ChangeEvent.Vgtid.class).get(recorder.of(ChangeEvent.Vgtid.class).size() - 1);
    assertEquals(shard.position(), vgtid.shards().get(0).position());
  }

  // ------------------------------------------------------------------ binlog streaming

  @Test
  void streamsInsertsUpdatesAndDeletes() {
    FakeShard shard = commerce("-").shard("-");
    String from = shard.position();
    shard.commit(tx -> tx.insertAll("customer", List.of(
        Arrays.asList("1", "a@example.com", "new", "a,b"), Arrays.asList("2", null, null, null))));
    shard.commit(tx -> tx.update("customer", "1", null, "paid", "")
        .delete("customer", "2"));
    shard.commit(tx -> tx.insert("orders", "10", "99.50"));
    Recorder recorder = new Recorder(new java.util.function.Predicate<>() {
      int commits;

      @Override
      public boolean test(ChangeEvent e) {
        return e instanceof ChangeEvent.Commit && ++commits == 3;
      }
    });

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, from, null)), recorder);

    assertEquals(List.of("Begin", "Fields", "Row", "Row", "Vgtid", "Commit",
        "Begin", "Row", "Row", "Vgtid", "Commit",
        "Begin", "Vgtid", "Commit"), recorder.shape());
    assertEquals(List.of(
        new Recorder.Row("customer", ChangeEvent.Operation.INSERT, null,
            Arrays.asList("1", "a@example.com", "new", "a,b"), NOW),
        new Recorder.Row("customer", ChangeEvent.Operation.INSERT, null,
            Arrays.asList("2", null, null, null), NOW),
        new Recorder.Row("customer", ChangeEvent.Operation.UPDATE,
            Arrays.asList("1", "a@example.com", "new", "a,b"), Arrays.asList("1", null, "paid", ""), NOW),
        new Recorder.Row("customer", ChangeEvent.Operation.DELETE,
            Arrays.asList("2", null, null, null), null, NOW)), recorder.rows());
    assertEquals(new ChangeEvent.Commit(NOW), recorder.of(ChangeEvent.Commit.class).get(0));
    assertEquals(List.of(shard.positionAt(2), shard.positionAt(3), shard.positionAt(4)),
        recorder.of(ChangeEvent.Vgtid.class).stream().map(v -> v.shards().get(0).position()).toList());
    ChangeEvent.Fields fields = recorder.of(ChangeEvent.Fields.class).get(0);
    assertEquals("enum('new','paid')", fields.columns().get(2).type().mysqlType());
    assertFalse(fields.columns().get(2).type().membersByIndex());
  }

  @Test
  void legacyBinlogEnumsComeAsNumbersAndAreReadAsMembers() {
    vtgate.enumSetAsNumbers(true);
    FakeShard shard = commerce("-").shard("-");
    shard.load("customer", customers(1, 1));
    Recorder recorder = Recorder.until(e -> e instanceof ChangeEvent.Commit c && c.commitTime() != null);
    ChangeStreams.Handler handler = event -> {
      if (event instanceof ChangeEvent.CopyCompleted done && done.shard() == null) {
        shard.commit(tx -> tx.update("customer", "1", "x@example.com", "paid", "a,c"));
      }
      return recorder.onEvent(event);
    };
    List<String> written = new ArrayList<>();
    ChangeStreams.Handler writing = event -> {
      if (event instanceof ChangeEvent.RowChange row) {
        List<Column> columns = recorder.of(ChangeEvent.Fields.class)
            .get(recorder.of(ChangeEvent.Fields.class).size() - 1).columns();
        columns.get(2).write(row.after(), 2, new WrittenStrings(written));
        columns.get(3).write(row.after(), 3, new WrittenStrings(written));
      }
      return handler.onEvent(event);
    };

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", null)), writing);

    List<ChangeEvent.Fields> fields = recorder.of(ChangeEvent.Fields.class);
    assertEquals(2, fields.size());
    assertFalse(fields.get(0).columns().get(2).type().membersByIndex(), "copy rows carry strings");
    assertTrue(fields.get(1).columns().get(2).type().membersByIndex(), "binlog rows carry numbers");
    assertEquals(List.of("2", "5"), recorder.rows().get(1).after().subList(2, 4));
    // the copy's "new" and null, then the binlog's 2 and 5 as members
    assertEquals(Arrays.asList("new", null, "paid", "a,c"), written);
  }

  /**
   * A VTGate that sends nothing at all, not even a heartbeat (its tablets down, or the connection
   * gone quiet): the reader hears of the silence again and again while it lasts, and may end it.
   */
  @Test
  void aSilenceIsToldToTheReaderWhileItLasts() {
    FakeShard shard = commerce("-").shard("-");
    shard.commit(tx -> tx.insert("customer", "1", null, null, null));
    vtgate.eventDelay(Duration.ofSeconds(20));
    List<String> heard = new ArrayList<>();
    ChangeStreams streams = new VtgateChangeStreams(vtgate.channel(),
        new VtgateCredentials(TestConfigs.USER, new Secret(TestConfigs.PASSWORD)), config(20), Duration.ofMillis(200));
    long started = System.nanoTime();

    streams.stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", null)), new ChangeStreams.Handler() {
      @Override
      public boolean onEvent(ChangeEvent event) {
        heard.add(event.getClass().getSimpleName());
        return true;
      }

      @Override
      public boolean onQuiet() {
        heard.add("quiet");
        return heard.size() < 3;
      }
    });

    assertEquals(List.of("quiet", "quiet", "quiet"), heard);
    long took = System.nanoTime() - started;
    assertTrue(took >= Duration.ofMillis(3 * 300).toNanos() && took < Duration.ofSeconds(10).toNanos(),
        "each after 300 ms of silence: " + Duration.ofNanos(took));
  }

  @Test
  void idleStreamsGetHeartbeats() {
    FakeShard shard = commerce("-").shard("-");
    vtgate.heartbeatIdle(Duration.ofMillis(100));
    Recorder recorder = Recorder.until(e -> e instanceof ChangeEvent.Heartbeat);
    long started = System.nanoTime();

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, shard.position(), null)), recorder);

    assertEquals(List.of("Heartbeat"), recorder.shape());
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
    assertEquals(1, vtgate.lastCall().request().getFlags().getHeartbeatInterval());
  }

  @Test
  void aReshardShowsAsAJournalThenTheNewShards() {
    FakeKeyspace keyspace = commerce("-");
    FakeShard old = keyspace.shard("-");
    old.load("customer", customers(1, 20));
    String from = old.position();
    old.commit(tx -> tx.insert("customer", "21", null, null, null));
    keyspace.reshard(List.of("-"), List.of("-80", "80-"));
    keyspace.shard("-80").commit(tx -> tx.insert("customer", "1000", "new@example.com", null, null));
    Recorder recorder = Recorder.until(new java.util.function.Predicate<>() {
      boolean sawNewRow;

      @Override
      public boolean test(ChangeEvent e) {
        sawNewRow |= e instanceof ChangeEvent.RowChange r && r.after() != null
            && Recorder.values(r.after()).get(0).equals("1000");
        return sawNewRow && e instanceof ChangeEvent.Commit;
      }
    });

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, from, null)), recorder);

    ChangeEvent.Journal journal = recorder.of(ChangeEvent.Journal.class).get(0);
    assertEquals(List.of(Shard.UNSHARDED), journal.sourceShards());
    assertEquals(List.of(new Shard("-80"), new Shard("80-")),
        journal.newPositions().stream().map(ChangeEvent.ShardPosition::shard).toList());
    assertEquals(List.of("21", "1000"), recorder.rows().stream().map(r -> r.after().get(0)).toList());
    // the rows moved to the new shards, split by key range
    int low = keyspace.shard("-80").rows("customer").size();
    int high = keyspace.shard("80-").rows("customer").size();
    assertEquals(22, low + high);
    assertTrue(low > 1 && high > 0, low + " / " + high);
    ChangeEvent.Vgtid after = recorder.of(ChangeEvent.Vgtid.class).get(recorder.of(ChangeEvent.Vgtid.class).size() - 1);
    assertEquals(List.of(new Shard("-80"), new Shard("80-")),
        after.shards().stream().map(ChangeEvent.ShardPosition::shard).toList());
  }

  @Test
  void decodesALargeCannedStream() {
    commerce("-");
    binlogdata.Binlogdata.VEvent row = binlogdata.Binlogdata.VEvent.newBuilder()
        .setType(binlogdata.Binlogdata.VEventType.ROW).setTimestamp(1_700_000_000)
        .setRowEvent(binlogdata.Binlogdata.RowEvent.newBuilder().setTableName("commerce.customer")
            .addRowChanges(binlogdata.Binlogdata.RowChange.newBuilder().setAfter(Query.Row.newBuilder()
                .addLengths(6).addLengths(17).addLengths(-1).addLengths(3)
                .setValues(com.google.protobuf.ByteString.copyFromUtf8("123456c123456@example.coma,b")))))
        .build();
    int count = 200_000;
    vtgate.serveCanned(dev.sourcevitess.vstream.fake.CannedStream.repeat(row, count));
    long[] bytes = {0};
    int[] rows = {0};
    long started = System.nanoTime();

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "MySQL56/x:1", null)), event -> {
      ChangeEvent.RowChange change = (ChangeEvent.RowChange) event;
      bytes[0] += change.after().length(0) + change.after().length(1) + change.after().length(3);
      assertTrue(change.after().isNull(2));
      return ++rows[0] < count;
    });

    long nanos = System.nanoTime() - started;
    assertEquals(count, rows[0]);
    assertEquals(26L * count, bytes[0]);
    System.out.printf("decoded %d row events in %d ms (%.0f k/s)%n", count, nanos / 1_000_000,
        count / (nanos / 1e9) / 1000);
  }

  // ------------------------------------------------------------------ stop and errors

  @Test
  void stopsWhenTheHandlerSaysSoAndTheServerSeesTheCancel() throws Exception {
    commerce("-").shard("-").load("customer", customers(1, 50));
    Recorder recorder = Recorder.until(e -> e instanceof ChangeEvent.Fields);

    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", null)), recorder);

    assertEquals(List.of("Begin", "Fields"), recorder.shape());
    CallRecord call = vtgate.lastCall();
    assertTrue(call.awaitEnd(Duration.ofSeconds(5)), "the fake's call is over");
    assertTrue(call.cancelledByClient());
    assertNull(call.closedWith());
  }

  @Test
  void wrongCredentialsAreAccessDeniedWithoutThePassword() {
    commerce("-");
    String wrong = "pscale_pw_WRONG-secret-42";
    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> streams(config(20), wrong).currentPositions("commerce"));
    assertEquals(ChangeStreamException.Reason.ACCESS_DENIED, e.reason());
    assertTrue(e.getMessage().contains("reader"), e.getMessage());
    assertSecretFree(e, wrong);
    assertEquals(0, vtgate.vstreamCalls());
  }

  @Test
  void aPositionAheadOfTheShardIsAMismatch() {
    FakeShard shard = commerce("-").shard("-");
    ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams().stream(
        request("customer", new ChangeStreams.Start(Shard.UNSHARDED, shard.positionAt(99), null)),
        Recorder.until(x -> false)));
    assertEquals(ChangeStreamException.Reason.POSITION_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("GTIDSet Mismatch"), e.getMessage());
  }

  @Test
  void aPurgedPositionIsLost() {
    FakeShard shard = commerce("-").shard("-");
    for (int i = 1; i <= 5; i++) {
      String id = Integer.toString(i);
      shard.commit(tx -> tx.insert("customer", id, null, null, null));
    }
    shard.purgeBinlogsThrough(4);
    ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams().stream(
        request("customer", new ChangeStreams.Start(Shard.UNSHARDED, shard.positionAt(2), null)),
        Recorder.until(x -> false)));
    assertEquals(ChangeStreamException.Reason.POSITION_LOST, e.reason());
  }

  @Test
  void unknownKeyspacesShardsAndTablesAreNotFound() {
    commerce("-80", "80-");
    ChangeStreamException keyspace = assertThrows(ChangeStreamException.class,
        () -> streams().currentPositions("nope"));
    assertEquals(ChangeStreamException.Reason.NOT_FOUND, keyspace.reason());
    ChangeStreamException shard = assertThrows(ChangeStreamException.class, () -> streams().stream(
        request("customer", new ChangeStreams.Start(new Shard("-40"), "", null)), Recorder.until(x -> false)));
    assertEquals(ChangeStreamException.Reason.NOT_FOUND, shard.reason());
    ChangeStreamException table = assertThrows(ChangeStreamException.class, () -> streams().stream(
        request("missing", new ChangeStreams.Start(new Shard("-80"), "", null)), Recorder.until(x -> false)));
    assertEquals(ChangeStreamException.Reason.NOT_FOUND, table.reason());
    assertTrue(table.getMessage().contains("missing"), table.getMessage());
  }

  @Test
  void aBrokenStreamIsUnavailableAndTheEventsBeforeStayHandedOver() {
    commerce("-").shard("-").load("customer", customers(1, 5));
    vtgate.failAfterEvents(4, false);
    Recorder broken = Recorder.untilCopyDone();

    ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams().stream(
        request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", null)), broken));

    assertEquals(ChangeStreamException.Reason.UNAVAILABLE, e.reason());
    assertEquals(List.of("Begin", "Fields", "Vgtid", "Row"), broken.shape());
    Recorder retry = Recorder.untilCopyDone();
    streams().stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, "", null)), retry);
    assertEquals(5, retry.rows().size());
    assertEquals(2, vtgate.vstreamCalls());
  }

  @Test
  void aStreamPastItsTimeoutIsDeadlineExceeded() {
    FakeShard shard = commerce("-").shard("-");
    long started = System.nanoTime();
    ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams(config(1), TestConfigs.PASSWORD)
        .stream(request("customer", new ChangeStreams.Start(Shard.UNSHARDED, shard.position(), null)),
            Recorder.until(x -> false)));
    assertEquals(ChangeStreamException.Reason.DEADLINE_EXCEEDED, e.reason());
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos());
    assertTrue(e.getMessage().contains("timeout_seconds"), e.getMessage());
  }

  @Test
  void theRequestCarriesTheConfiguration() {
    FakeShard shard = commerce("-").shard("-");
    SourceConfig replica = TestConfigs.config("fake", 1, TlsMode.DISABLED, TestConfigs.USER,
        TestConfigs.PASSWORD, 20, true, false, Optional.of("zone1"));
    streams(replica, TestConfigs.PASSWORD).stream(
        request("customer", new ChangeStreams.Start(Shard.UNSHARDED, shard.position(), null)),
        Recorder.until(e -> true));
    Vtgate.VStreamRequest seen = vtgate.lastCall().request();
    // the fake has no heartbeat override here: the stream's first event is a heartbeat after 1 s
    assertEquals(Topodata.TabletType.REPLICA, seen.getTabletType());
    assertEquals("zone1", seen.getFlags().getCells());
    assertEquals("SELECT * FROM `customer`", seen.getFilter().getRules(0).getFilter());
  }

  static void assertSecretFree(Throwable e, String password) {
    String token = Base64.getEncoder().encodeToString(
        (TestConfigs.USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage()) + t;
      assertFalse(message.contains(password), message);
      assertFalse(message.contains(token), message);
    }
  }
}
