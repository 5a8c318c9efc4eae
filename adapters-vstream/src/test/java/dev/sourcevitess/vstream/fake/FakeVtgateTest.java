package dev.sourcevitess.vstream.fake;

import static dev.sourcevitess.vstream.fake.ColumnDef.notNull;
import static dev.sourcevitess.vstream.fake.ColumnDef.nullable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import binlogdata.Binlogdata;
import binlogdata.Binlogdata.VEvent;
import binlogdata.Binlogdata.VEventType;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vitess.proto.Vtgate;
import io.vitess.proto.grpc.VitessGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake's protocol, event by event, as the Vitess sources describe it. */
class FakeVtgateTest {
  private static final TableDef T = TableDef.of("t", List.of("id"),
      notNull("id", "int"), nullable("kind", "enum('x','y','z')"));
  private static final TableDef OTHER = TableDef.of("other", List.of("id"), notNull("id", "int"));

  private final FakeVitess vitess = new FakeVitess();
  private final FakeVtgate vtgate = FakeVtgate.inProcess(vitess);

  @AfterEach
  void close() {
    vtgate.close();
  }

  private FakeKeyspace keyspace(String... shards) {
    return vitess.addKeyspace("ks", shards).createTable(T).createTable(OTHER);
  }

  private static Vtgate.VStreamRequest request(List<Binlogdata.ShardGtid> shards, Vtgate.VStreamFlags flags) {
    return Vtgate.VStreamRequest.newBuilder()
        .setVgtid(Binlogdata.VGtid.newBuilder().addAllShardGtids(shards))
        .setFilter(Binlogdata.Filter.newBuilder().addRules(
            Binlogdata.Rule.newBuilder().setMatch("t").setFilter("select * from t")))
        .setFlags(flags)
        .build();
  }

  private static Binlogdata.ShardGtid shard(String shard, String gtid) {
    return Binlogdata.ShardGtid.newBuilder().setKeyspace("ks").setShard(shard).setGtid(gtid).build();
  }

  /** Reads events until {@code last} matches one, then cancels the call. */
  private List<VEvent> read(Vtgate.VStreamRequest request, Predicate<List<VEvent>> done) {
    List<VEvent> events = new ArrayList<>();
    Context.CancellableContext context = Context.current().withCancellation();
    try {
      context.run(() -> {
        Iterator<Vtgate.VStreamResponse> responses = VitessGrpc.newBlockingStub(vtgate.channel())
            .withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS).vStream(request);
        while (!done.test(events) && responses.hasNext()) {
          events.addAll(responses.next().getEventsList());
        }
      });
    } finally {
      context.cancel(null);
    }
    return events;
  }

  private static List<VEventType> types(List<VEvent> events) {
    return events.stream().map(VEvent::getType).toList();
  }

  private static Predicate<List<VEvent>> count(VEventType type, int n) {
    return events -> events.stream().filter(e -> e.getType() == type).count() >= n;
  }

  @Test
  void currentAnswersEachShardWithAVgtidThenOther() {
    FakeKeyspace ks = keyspace("-40", "40-80", "80-");
    ks.shard("40-80").commit(tx -> tx.insert("t", "1", "x"));

    List<VEvent> events = read(request(List.of(shard("", "current")), Vtgate.VStreamFlags.getDefaultInstance()),
        count(VEventType.OTHER, 3));

    assertEquals(List.of(VEventType.VGTID, VEventType.OTHER, VEventType.VGTID, VEventType.OTHER,
        VEventType.VGTID, VEventType.OTHER), types(events));
    // shards not heard from yet are still "current" in the first VGTIDs
    assertEquals(List.of(ks.shard("-40").position(), "current", "current"),
        events.get(0).getVgtid().getShardGtidsList().stream().map(Binlogdata.ShardGtid::getGtid).toList());
    assertEquals(List.of(ks.shard("-40").position(), ks.shard("40-80").position(), ks.shard("80-").position()),
        events.get(4).getVgtid().getShardGtidsList().stream().map(Binlogdata.ShardGtid::getGtid).toList());
  }

  @Test
  void copyPhaseFollowsUvstreamer() {
    FakeKeyspace ks = keyspace("-80", "80-");
    ks.shard("-80").load("t", List.of(List.of("1", "x"), List.of("2", "y"), List.of("3", "z")));
    ks.shard("80-").load("t", List.of(List.of("9", "x")));
    vtgate.copyBatchSize(2);

    List<VEvent> events = read(request(List.of(shard("-80", ""), shard("80-", "")),
        Vtgate.VStreamFlags.getDefaultInstance()),
        all -> all.stream().anyMatch(e -> e.getType() == VEventType.COPY_COMPLETED && e.getShard().isEmpty()));

    List<VEvent> low = events.stream().filter(e -> e.getShard().equals("-80")).toList();
    assertEquals(List.of(VEventType.BEGIN, VEventType.FIELD, VEventType.VGTID, VEventType.ROW, VEventType.ROW,
        VEventType.VGTID, VEventType.COMMIT, VEventType.ROW, VEventType.VGTID, VEventType.COMMIT,
        VEventType.BEGIN, VEventType.VGTID, VEventType.COMMIT, VEventType.COPY_COMPLETED), types(low));
    // the first VGTID of the table has no last key yet, each batch's has the batch's last key
    assertEquals(0, low.get(2).getVgtid().getShardGtids(0).getTablePKsCount());
    assertEquals("t", low.get(5).getVgtid().getShardGtids(0).getTablePKs(0).getTableName());
    assertEquals("2", low.get(5).getVgtid().getShardGtids(0).getTablePKs(0).getLastpk().getRows(0)
        .getValues().toStringUtf8());
    assertEquals(0, low.get(11).getVgtid().getShardGtids(0).getTablePKsCount());
    assertEquals("ks.t", low.get(1).getFieldEvent().getTableName());
    assertTrue(low.get(1).getFieldEvent().getEnumSetStringValues());
    VEvent last = events.get(events.size() - 1);
    assertEquals(VEventType.COPY_COMPLETED, last.getType());
    assertEquals("", last.getKeyspace());
    assertEquals(2, events.stream().filter(e -> e.getType() == VEventType.COPY_COMPLETED
        && !e.getShard().isEmpty()).count());
  }

  @Test
  void aTransactionOutsideTheFilterStillShowsAsBeginVgtidCommit() {
    FakeShard shard = keyspace("-").shard("-");
    String from = shard.position();
    shard.commit(tx -> tx.insert("other", "1"));
    shard.ddl("alter table other add column c int");

    List<VEvent> events = read(request(List.of(shard("-", from)), Vtgate.VStreamFlags.getDefaultInstance()),
        count(VEventType.DDL, 1));

    assertEquals(List.of(VEventType.BEGIN, VEventType.VGTID, VEventType.COMMIT, VEventType.VGTID, VEventType.DDL),
        types(events));
    assertEquals(shard.positionAt(2), events.get(1).getVgtid().getShardGtids(0).getGtid());
    assertTrue(events.get(0).getTimestamp() > 0);
  }

  @Test
  void legacyEnumsAreIndexesInTheBinlog() {
    vtgate.enumSetAsNumbers(true);
    FakeShard shard = keyspace("-").shard("-");
    String from = shard.position();
    shard.commit(tx -> tx.insert("t", "1", "z").insert("t", "2", null));

    List<VEvent> events = read(request(List.of(shard("-", from)), Vtgate.VStreamFlags.getDefaultInstance()),
        count(VEventType.COMMIT, 1));

    VEvent field = events.get(1);
    assertEquals(VEventType.FIELD, field.getType());
    assertEquals(false, field.getFieldEvent().getEnumSetStringValues());
    assertEquals("13", events.get(2).getRowEvent().getRowChanges(0).getAfter().getValues().toStringUtf8());
    assertEquals(List.of(1L, -1L), events.get(3).getRowEvent().getRowChanges(0).getAfter().getLengthsList());
  }

  @Test
  void journalsShowOnlyWhenAskedForAndTheStreamMovesToTheNewShards() {
    FakeKeyspace ks = keyspace("-");
    ks.shard("-").load("t", List.of(List.of("1", "x"), List.of("2", "y"), List.of("3", "y")));
    String from = ks.shard("-").position();
    ks.reshard(List.of("-"), List.of("-80", "80-"));
    assertThrows(IllegalStateException.class, () -> vitess.keyspace("ks").findShard("-").commit(tx -> tx.insert("t", "4", "x")));
    ks.shard("80-").commit(tx -> tx.insert("t", "100", "x"));

    List<VEvent> hidden = read(request(List.of(shard("-", from)), Vtgate.VStreamFlags.getDefaultInstance()),
        count(VEventType.COMMIT, 1));
    assertEquals(List.of(VEventType.BEGIN, VEventType.FIELD, VEventType.ROW, VEventType.VGTID, VEventType.COMMIT),
        types(hidden));
    assertEquals("80-", hidden.get(2).getShard());

    List<VEvent> shown = read(request(List.of(shard("-", from)),
        Vtgate.VStreamFlags.newBuilder().setIncludeReshardJournalEvents(true).build()), count(VEventType.COMMIT, 2));
    assertEquals(List.of(VEventType.BEGIN, VEventType.JOURNAL, VEventType.VGTID, VEventType.COMMIT,
        VEventType.BEGIN, VEventType.FIELD, VEventType.ROW, VEventType.VGTID, VEventType.COMMIT), types(shown));
    assertEquals(List.of("-80", "80-"), shown.get(7).getVgtid().getShardGtidsList().stream()
        .map(Binlogdata.ShardGtid::getShard).toList());

    List<VEvent> stopped = read(request(List.of(shard("-", from)),
        Vtgate.VStreamFlags.newBuilder().setStopOnReshard(true).build()), all -> false);
    assertEquals(List.of(VEventType.BEGIN, VEventType.JOURNAL, VEventType.VGTID, VEventType.COMMIT), types(stopped));
    assertEquals(Status.OK, vtgate.lastCall().closedWith());
  }

  @Test
  void failuresCannedStreamsAndDelays() throws Exception {
    FakeShard shard = keyspace("-").shard("-");
    vtgate.failAfterEvents(1, true);
    for (int i = 0; i < 2; i++) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> read(
          request(List.of(shard("", "current")), Vtgate.VStreamFlags.getDefaultInstance()), count(VEventType.OTHER, 1)));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
    vtgate.clearFailures();

    VEvent row = VEvent.newBuilder().setType(VEventType.ROW).setRowEvent(Binlogdata.RowEvent.newBuilder()
        .setTableName("ks.t").addRowChanges(Binlogdata.RowChange.newBuilder()
            .setAfter(VStreamSession.row(T, Arrays.asList("1", "x"), false)))).build();
    vtgate.serveCanned(new CannedStream(List.of(VEvent.newBuilder().setType(VEventType.BEGIN).build()),
        row, 1000, 64, List.of(VEvent.newBuilder().setType(VEventType.COMMIT).build())));
    List<VEvent> canned = read(request(List.of(shard("-", "current")), Vtgate.VStreamFlags.getDefaultInstance()),
        count(VEventType.COMMIT, 1));
    assertEquals(1002, canned.size());
    assertEquals(1000, canned.stream().filter(e -> e.getType() == VEventType.ROW).count());
    vtgate.serveCanned(null);

    vtgate.eventDelay(Duration.ofMillis(40));
    long started = System.nanoTime();
    read(request(List.of(shard("", "current")), Vtgate.VStreamFlags.getDefaultInstance()), count(VEventType.OTHER, 1));
    assertTrue(System.nanoTime() - started >= Duration.ofMillis(80).toNanos());
    assertEquals(4, vtgate.vstreamCalls());
    assertTrue(vtgate.lastCall().awaitEnd(Duration.ofSeconds(5)));
    assertTrue(vtgate.lastCall().cancelledByClient());
    assertEquals(2, vtgate.lastCall().eventsSent(), "VGTID then OTHER, and the fake holds the stream");
    assertEquals(shard.positionAt(1), shard.position());
  }

  @Test
  void aPositionOutsideTheShardIsAGtidSetMismatch() {
    FakeShard shard = keyspace("-").shard("-");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> read(
        request(List.of(shard("-", "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5")),
            Vtgate.VStreamFlags.getDefaultInstance()), all -> false));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith("GTIDSet Mismatch"));
    assertTrue(shard.position().startsWith("MySQL56/" + shard.uuid()));
  }

  private static Vtgate.VStreamRequest tables(List<Binlogdata.ShardGtid> shards, String... tables) {
    Binlogdata.Filter.Builder filter = Binlogdata.Filter.newBuilder();
    for (String table : tables) {
      filter.addRules(Binlogdata.Rule.newBuilder().setMatch(table).setFilter("select * from " + table));
    }
    return Vtgate.VStreamRequest.newBuilder()
        .setVgtid(Binlogdata.VGtid.newBuilder().addAllShardGtids(shards))
        .setFilter(filter)
        .setFlags(Vtgate.VStreamFlags.newBuilder().setHeartbeatInterval(1).setIncludeReshardJournalEvents(true))
        .build();
  }

  private static List<String> rowTables(List<VEvent> events) {
    return events.stream().filter(e -> e.getType() == VEventType.ROW)
        .map(e -> e.getRowEvent().getTableName() + "@" + e.getRowEvent().getShard()).toList();
  }

  /** One VStream, several filter rules and shards: every shard's binlog read once for all tables. */
  @Test
  void oneVStreamCarriesSeveralTablesOfSeveralShardsEachTransactionReadOnce() {
    FakeKeyspace ks = keyspace("-80", "80-");
    String low = ks.shard("-80").position();
    String high = ks.shard("80-").position();
    ks.shard("-80").commit(tx -> tx.insert("t", "1", "x"));
    ks.shard("80-").commit(tx -> tx.insert("other", "2"));
    ks.shard("-80").commit(tx -> tx.insert("other", "3").insert("t", "4", "y"));

    List<VEvent> events = read(tables(List.of(shard("-80", low), shard("80-", high)), "t", "other"),
        count(VEventType.COMMIT, 3));

    assertEquals(List.of("ks.t@-80", "ks.other@80-", "ks.other@-80", "ks.t@-80"), rowTables(events),
        "rows of both tables, shard by shard");
    assertEquals(2, ks.shard("-80").transactionsRead());
    assertEquals(1, ks.shard("80-").transactionsRead());
    VEvent lastVgtid = events.stream().filter(e -> e.getType() == VEventType.VGTID).reduce((a, b) -> b).orElseThrow();
    assertEquals(List.of(ks.shard("-80").position(), ks.shard("80-").position()),
        lastVgtid.getVgtid().getShardGtidsList().stream().map(Binlogdata.ShardGtid::getGtid).toList(),
        "a VGTID lists every shard of the stream");
  }

  /** A long transaction: HEARTBEATs while the tablet reads it, then the whole transaction at once. */
  @Test
  void nothingOfALongTransactionGoesOutBeforeItsCommitHeartbeatsDo() {
    FakeKeyspace ks = keyspace("-");
    String from = ks.shard("-").position();
    ks.shard("-").commit(tx -> tx.insert("t", "1", "x").insert("t", "2", "y"));
    vtgate.heartbeatIdle(Duration.ofMillis(50)).transactionReadTime(Duration.ofMillis(400));

    List<VEvent> events = read(tables(List.of(shard("-", from)), "t"), count(VEventType.COMMIT, 1));

    int begin = types(events).indexOf(VEventType.BEGIN);
    assertTrue(begin >= 3, "heartbeats come first: " + types(events));
    assertTrue(types(events).subList(0, begin).stream().allMatch(t -> t == VEventType.HEARTBEAT), types(events).toString());
    assertEquals(List.of(VEventType.BEGIN, VEventType.FIELD, VEventType.ROW, VEventType.ROW, VEventType.VGTID,
        VEventType.COMMIT), types(events).subList(begin, events.size()), "then the transaction, whole");
  }

  /** A merge of two shards is followed when both are in the stream (vstream_manager getJournalEvent). */
  @Test
  void aJournalOfSeveralParticipantsIsFollowedWhenAllAreInTheStream() {
    FakeKeyspace ks = keyspace("-80", "80-");
    String low = ks.shard("-80").position();
    String high = ks.shard("80-").position();
    ks.shard("-80").commit(tx -> tx.insert("t", "1", "x"));
    ks.reshard(List.of("-80", "80-"), List.of("-"));
    ks.shard("-").commit(tx -> tx.insert("t", "5", "z"));

    List<VEvent> events = read(tables(List.of(shard("-80", low), shard("80-", high)), "t"),
        all -> rowTables(all).contains("ks.t@-"));

    assertEquals(2, types(events).stream().filter(t -> t == VEventType.JOURNAL).count(), "one per participant");
    VEvent lastVgtid = events.stream().filter(e -> e.getType() == VEventType.VGTID).reduce((a, b) -> b).orElseThrow();
    assertEquals(List.of("-"), lastVgtid.getVgtid().getShardGtidsList().stream()
        .map(Binlogdata.ShardGtid::getShard).toList());
  }

  @Test
  void aJournalWithAParticipantOutsideTheStreamFailsTheStream() {
    FakeKeyspace ks = keyspace("-80", "80-");
    String low = ks.shard("-80").position();
    ks.reshard(List.of("-80", "80-"), List.of("-"));

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> read(tables(List.of(shard("-80", low)), "t"), all -> false));
    assertTrue(e.getStatus().getDescription().contains("not all journaling participants are in the stream"),
        e.getStatus().toString());
  }
}
