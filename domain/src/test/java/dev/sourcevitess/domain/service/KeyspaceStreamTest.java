package dev.sourcevitess.domain.service;

import static dev.sourcevitess.domain.service.VStreamFixture.CUSTOMER;
import static dev.sourcevitess.domain.service.VStreamFixture.CUSTOMER_ID;
import static dev.sourcevitess.domain.service.VStreamFixture.HIGH;
import static dev.sourcevitess.domain.service.VStreamFixture.KEYSPACE;
import static dev.sourcevitess.domain.service.VStreamFixture.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.FakeChangeStreams;
import dev.sourcevitess.domain.fake.FakeRowSnapshots;
import dev.sourcevitess.domain.fake.FakeSchemaReader;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.SteppingClock;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Incremental streams of a keyspace read through one VStream. */
class KeyspaceStreamTest {
  private static final Table ORDERS = new Table("orders", List.of(VStreamFixture.column("id", "bigint", false),
      VStreamFixture.column("name", "varchar(64)", true)), List.of("id"), 1, 1);
  private static final StreamId ORDERS_ID = new StreamId(KEYSPACE, "orders");
  private static final List<ConfiguredStream> CATALOG = List.of(
      new ConfiguredStream(CUSTOMER_ID, SyncMode.INCREMENTAL, Set.of()),
      new ConfiguredStream(ORDERS_ID, SyncMode.INCREMENTAL, Set.of()));

  private final FakeChangeStreams vtgate = new FakeChangeStreams(KEYSPACE, List.of(CUSTOMER, ORDERS),
      List.of(LOW, HIGH));
  private final RecordingOutput out = new RecordingOutput();
  private final TextCursorCodec codec = new TextCursorCodec();

  private void read(SourceConfig config, Map<StreamId, StreamState> state) throws InterruptedException {
    read(vtgate, config, state);
  }

  private void read(FakeChangeStreams vtgate, SourceConfig config, Map<StreamId, StreamState> state)
      throws InterruptedException {
    out.clear();
    new ReadStreams(config, new FakeSchemaReader(CUSTOMER, ORDERS), new FakeRowSnapshots(), vtgate, codec, out,
        new SteppingClock(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(1)), d -> { })
        .read(CATALOG, state);
    assertNull(out.recordCountMismatch());
  }

  private void customer(Shard shard, long id) {
    vtgate.commit(shard, tx -> tx.insert("customer", String.valueOf(id), "c" + id, "1.0"));
  }

  private void order(Shard shard, long id) {
    vtgate.commit(shard, tx -> tx.insert("orders", String.valueOf(id), "o" + id));
  }

  private StreamState at(Map<Shard, String> positions) {
    Map<String, String> cursors = new HashMap<>();
    positions.forEach((shard, position) -> cursors.put(shard.name(),
        codec.encode(new TableCursor(shard, KEYSPACE, position, null))));
    return new StreamState(cursors);
  }

  /** A state of both streams at the shards' current positions. */
  private Map<StreamId, StreamState> bothWhereTheShardsStand() {
    Map<Shard, String> current = Map.of(LOW, vtgate.position(LOW), HIGH, vtgate.position(HIGH));
    return Map.of(CUSTOMER_ID, at(current), ORDERS_ID, at(current));
  }

  private List<Long> ids(StreamId stream) {
    return out.records(stream).stream().map(r -> ((BigDecimal) r.data().get("id")).longValue()).sorted().toList();
  }

  @Test
  void everyStreamOfTheKeyspaceIsReadThroughOneVStreamReadingEachTransactionOnce() throws Exception {
    Map<StreamId, StreamState> state = bothWhereTheShardsStand();
    for (int i = 1; i <= 5; i++) {
      customer(LOW, i);
      order(HIGH, 100 + i);
      order(LOW, 200 + i);
    }
    read(TestConfig.vstream().build(), state);

    assertEquals(1, vtgate.peeks());
    assertEquals(1, vtgate.streams(), "one VStream for all streams and shards");
    ChangeStreams.Request request = vtgate.requests().get(0);
    assertEquals(List.of("customer", "orders"), request.tables());
    assertEquals(2, request.starts().size());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(CUSTOMER_ID));
    assertEquals(10, ids(ORDERS_ID).size());
    assertEquals(10, vtgate.transactionsRead(LOW), "each transaction of -80 read once");
    assertEquals(5, vtgate.transactionsRead(HIGH));
    for (StreamId id : List.of(CUSTOMER_ID, ORDERS_ID)) {
      StreamState last = out.lastStates().get(id);
      assertEquals(vtgate.position(LOW), codec.decode(last.cursorsByShard().get("-80")).position(),
          "positions move past transactions of other tables");
      assertEquals(vtgate.position(HIGH), codec.decode(last.cursorsByShard().get("80-")).position());
    }
  }

  @Test
  void theVStreamAsksEachTableForItsSelectedColumnsAndKeyOnly() throws Exception {
    Map<StreamId, StreamState> state = bothWhereTheShardsStand();
    customer(LOW, 1);
    order(HIGH, 2);
    new ReadStreams(TestConfig.vstream().build(), new FakeSchemaReader(CUSTOMER, ORDERS), new FakeRowSnapshots(),
        vtgate, codec, out, new SteppingClock(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(1)), d -> { })
        .read(List.of(new ConfiguredStream(CUSTOMER_ID, SyncMode.INCREMENTAL, Set.of("balance")),
            new ConfiguredStream(ORDERS_ID, SyncMode.INCREMENTAL, Set.of())), state);

    ChangeStreams.Request request = vtgate.requests().get(0);
    assertEquals(List.of("id", "balance"), request.columnsOf("customer"));
    assertEquals(List.of(), request.columnsOf("orders"), "all of them: SELECT *");
    assertEquals(Set.of("balance"), out.records(CUSTOMER_ID).get(0).data().keySet());
  }

  /** Reads the customer stream, {@code selected} columns, with the schema {@code schema} reports. */
  private void readCustomer(Table schema, Set<String> selected, Map<StreamId, StreamState> state, List<Long> pauses)
      throws InterruptedException {
    out.clear();
    new ReadStreams(TestConfig.vstream().build(), new FakeSchemaReader(schema, ORDERS), new FakeRowSnapshots(),
        vtgate, codec, out, new SteppingClock(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(1)),
        d -> pauses.add(d.toMillis()))
        .read(List.of(new ConfiguredStream(CUSTOMER_ID, SyncMode.INCREMENTAL, selected)), state);
  }

  private List<String> warnings() {
    return out.logs(LogLevel.WARN).stream().map(RecordingOutput.Log::message).toList();
  }

  @Test
  void aRuleRefusedForAColumnDroppedAfterTheSchemaWasReadBecomesEveryColumnAtOnceWithAWarning() throws Exception {
    Map<StreamId, StreamState> state = Map.of(
        CUSTOMER_ID, at(Map.of(LOW, vtgate.position(LOW), HIGH, vtgate.position(HIGH))));
    // the schema read at the start still has name; the tablets no longer do when the VStream opens
    vtgate.dropColumn("customer", "name");
    vtgate.commit(LOW, tx -> tx.insert("customer", "7", "7.5"));
    List<Long> pauses = new ArrayList<>();
    readCustomer(CUSTOMER, Set.of("id", "name"), state, pauses);

    assertEquals(List.of(List.of("id", "name"), List.of()),
        vtgate.requests().stream().map(r -> r.columnsOf("customer")).toList(), "then SELECT *");
    assertEquals(List.of(), pauses, "the wider rule is tried at once, not as a retry after a failure");
    assertEquals(List.of(7L), ids(CUSTOMER_ID));
    assertEquals(Set.of("id"), out.records(CUSTOMER_ID).get(0).data().keySet(), "records follow the FIELD event");
    assertEquals(1, warnings().size(), warnings().toString());
    assertTrue(warnings().get(0).contains("commerce.customer were written while the table had no column name")
        && warnings().get(0).contains("Refresh the source schema"), warnings().get(0));
    assertEquals(StreamStatus.COMPLETE, out.statuses(CUSTOMER_ID).get(out.statuses(CUSTOMER_ID).size() - 1));
  }

  @Test
  void aSelectedColumnTheTableNoLongerHasIsNotAskedForAndIsNamedOnceInAWarning() throws Exception {
    Map<StreamId, StreamState> state = Map.of(
        CUSTOMER_ID, at(Map.of(LOW, vtgate.position(LOW), HIGH, vtgate.position(HIGH))));
    vtgate.dropColumn("customer", "name");
    vtgate.commit(HIGH, tx -> tx.insert("customer", "8", "8.5"));
    Table now = new Table("customer", List.of(CUSTOMER.columns().get(0), CUSTOMER.columns().get(2)), List.of("id"),
        1, 1);
    for (Set<String> selected : List.of(Set.of("id", "name"), Set.of("id", "name", "balance", "_ab_cdc_cursor"))) {
      int before = vtgate.streams();
      readCustomer(now, selected, state, new ArrayList<>());
      assertEquals(1, vtgate.streams() - before, "one VStream, refused nowhere");
      ChangeStreams.Request last = vtgate.requests().get(vtgate.requests().size() - 1);
      assertEquals(selected.contains("balance") ? List.of() : List.of("id"), last.columnsOf("customer"));
      assertEquals(List.of(8L), ids(CUSTOMER_ID));
      assertEquals(List.of("Table commerce.customer no longer has the configured column(s) name"),
          warnings().stream().map(w -> w.substring(0, w.indexOf(" ("))).toList());
    }
  }

  @Test
  void streamsAtDifferentPositionsStartAtTheEarliestAndSkipWhatTheirStateCovers() throws Exception {
    String lowStart = vtgate.position(LOW);
    String highStart = vtgate.position(HIGH);
    customer(LOW, 1);
    order(LOW, 1);
    String ordersLow = vtgate.position(LOW);
    customer(LOW, 2);
    order(LOW, 2);
    Map<StreamId, StreamState> state = Map.of(
        CUSTOMER_ID, at(Map.of(LOW, lowStart, HIGH, highStart)),
        ORDERS_ID, at(Map.of(LOW, ordersLow, HIGH, highStart)));
    read(TestConfig.vstream().build(), state);

    assertEquals(1, vtgate.streams());
    assertEquals(lowStart, vtgate.requests().get(0).starts().stream().filter(s -> s.shard().equals(LOW)).findFirst()
        .orElseThrow().position(), "the earliest position of -80");
    assertEquals(List.of(1L, 2L), ids(CUSTOMER_ID));
    assertEquals(List.of(2L), ids(ORDERS_ID), "order 1 is covered by the state of orders");
  }

  @Test
  void changesCommittedDuringTheSyncStopAtThePeekedPositionForEveryStream() throws Exception {
    Map<StreamId, StreamState> state = bothWhereTheShardsStand();
    customer(LOW, 1);
    order(HIGH, 1);
    String[] peeked = new String[2];
    vtgate.afterEvent((shard, events) -> {
      if (events == 1) {
        peeked[0] = vtgate.position(LOW);
        peeked[1] = vtgate.position(HIGH);
        customer(LOW, 2);
        order(HIGH, 2);
      }
    });
    read(TestConfig.vstream().build(), state);

    assertEquals(List.of(1L), ids(CUSTOMER_ID));
    assertEquals(List.of(1L), ids(ORDERS_ID));
    for (StreamId id : List.of(CUSTOMER_ID, ORDERS_ID)) {
      StreamState last = out.lastStates().get(id);
      assertEquals(peeked[0], codec.decode(last.cursorsByShard().get("-80")).position(), "one cut for all streams");
      assertEquals(peeked[1], codec.decode(last.cursorsByShard().get("80-")).position());
    }
  }

  /** A position past the shard's own: {@code uuid:1-999} where the shard stands at {@code uuid:1-n}. */
  private static String ahead(String position) {
    return position.replaceAll(":1(-\\d+)?$", ":1-999");
  }

  @Test
  void aSavedPositionAheadOfTheShardIsAConfigErrorNamingTheStreamTheShardAndTheState() throws Exception {
    Map<StreamId, StreamState> state = Map.of(
        CUSTOMER_ID, at(Map.of(LOW, ahead(vtgate.position(LOW)), HIGH, vtgate.position(HIGH))),
        ORDERS_ID, at(Map.of(LOW, vtgate.position(LOW), HIGH, vtgate.position(HIGH))));
    // read from replicas, which may lag behind the one the state was saved on, VTGate judges it
    SourceException e = assertThrows(SourceException.class,
        () -> read(TestConfig.vstream().useReplica(true).build(), state));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("shard -80: commerce.customer (position from its saved state)"),
        e.getMessage());
    // read from the primary, it is refused before anything is read
    int calls = vtgate.streams();
    e = assertThrows(SourceException.class, () -> read(TestConfig.vstream().build(), state));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("The state of stream commerce.customer on shard -80 holds the position "),
        e.getMessage());
    assertEquals(calls, vtgate.streams(), "no VStream opened");
  }

  @Test
  void aStartingGtidAheadOfTheShardIsAConfigErrorNamingStartingGtids() {
    Map<String, Map<Shard, String>> starting = Map.of(KEYSPACE, Map.of(HIGH, ahead(vtgate.position(HIGH))));
    for (boolean replica : List.of(true, false)) {
      SourceException e = assertThrows(SourceException.class, () -> read(TestConfig.vstream()
          .useReplica(replica).startingGtids(starting).shards("80-").build(), Map.of()));
      assertEquals(FailureType.CONFIG_ERROR, e.failureType());
      assertTrue(e.getMessage().contains("shard 80-") && e.getMessage().contains("starting_gtids"), e.getMessage());
    }
  }

  @Test
  void aMergeOfSeveralShardsIsFollowedThroughOneVStreamAndTheStateMovesToTheNewShard() throws Exception {
    customer(LOW, 1);
    order(HIGH, 2);
    Map<StreamId, StreamState> state = bothWhereTheShardsStand();
    customer(HIGH, 3);
    Shard merged = new Shard("-");
    vtgate.reshard(List.of(LOW, HIGH), List.of(merged), (table, key) -> merged);
    customer(merged, 4);
    order(merged, 5);
    read(TestConfig.vstream().build(), state);

    assertEquals(1, vtgate.streams(), "both source shards in one VStream, so VTGate follows the journal");
    assertEquals(List.of(3L, 4L), ids(CUSTOMER_ID));
    assertEquals(List.of(5L), ids(ORDERS_ID));
    for (StreamId id : List.of(CUSTOMER_ID, ORDERS_ID)) {
      Map<String, String> cursors = out.lastStates().get(id).cursorsByShard();
      assertEquals(Set.of("-"), cursors.keySet(), "the state moves to the new shard");
      assertEquals(vtgate.position(merged), codec.decode(cursors.get("-")).position());
    }
  }

  @Test
  void aCopyCutShortOnAShardSinceReshardedAwayCopiesTheNewShardsAfresh() throws Exception {
    customer(LOW, 1);
    TableCursor cutShort = new TableCursor(LOW, KEYSPACE, "", null);
    Map<StreamId, StreamState> state = Map.of(
        CUSTOMER_ID, new StreamState(Map.of("-80", codec.encode(cutShort), "80-",
            codec.encode(new TableCursor(HIGH, KEYSPACE, vtgate.position(HIGH), null)))),
        ORDERS_ID, at(Map.of(LOW, vtgate.position(LOW), HIGH, vtgate.position(HIGH))));
    Shard a = new Shard("-40");
    Shard b = new Shard("40-80");
    vtgate.reshard(List.of(LOW), List.of(a, b), (table, key) -> key.get(0).equals("1") ? a : b);
    read(TestConfig.vstream().build(), state);

    assertEquals(List.of(1L), ids(CUSTOMER_ID));
    assertEquals(Set.of("-40", "40-80", "80-"), out.lastStates().get(CUSTOMER_ID).cursorsByShard().keySet());
  }

  @Test
  void aSplitWhileReadingMovesAlsoTheStreamThatStoodAtTheStopOnTheSplitShard() throws Exception {
    String lowStart = vtgate.position(LOW);
    String highStart = vtgate.position(HIGH);
    order(LOW, 1);
    customer(LOW, 2);
    for (int id = 10; id < 14; id++) {
      // 80- is still read when -80's journal comes
      customer(HIGH, id);
    }
    // customer is behind on both shards; orders stands at the stop on both
    Map<StreamId, StreamState> state = Map.of(
        CUSTOMER_ID, at(Map.of(LOW, lowStart, HIGH, highStart)),
        ORDERS_ID, at(Map.of(LOW, vtgate.position(LOW), HIGH, vtgate.position(HIGH))));
    Shard a = new Shard("-40");
    Shard b = new Shard("40-80");
    reshardOnce(vtgate, List.of(LOW), List.of(a, b), (table, key) -> key.get(0).equals("1") ? a : b);
    read(TestConfig.vstream().build(), state);

    assertEquals(List.of(2L, 10L, 11L, 12L, 13L), ids(CUSTOMER_ID));
    assertEquals(List.of(), ids(ORDERS_ID), "order 1 is in the state of orders");
    assertEquals(Set.of("-40", "40-80", "80-"), out.lastStates().get(ORDERS_ID).cursorsByShard().keySet(),
        "the cursor of orders on -80 moved to the new shards, not dropped");

    // so the next sync streams the delete from there, rather than copy the new shards afresh and keep the row
    Map<StreamId, StreamState> next = Map.copyOf(out.lastStates());
    vtgate.commit(a, tx -> tx.delete("orders", List.of("1")));
    read(TestConfig.vstream().build(), next);
    assertEquals(List.of(1L), ids(ORDERS_ID));
    assertNotNull(out.records(ORDERS_ID).get(0).meta().deletedAt(), "a delete");
  }

  @Test
  void aMergeWhileReadingOfAShardNoStreamIsBehindOnIsFollowed() throws Exception {
    Shard low = new Shard("-40");
    Shard mid = new Shard("40-80");
    FakeChangeStreams three = new FakeChangeStreams(KEYSPACE, List.of(CUSTOMER, ORDERS), List.of(low, mid, HIGH));
    Map<StreamId, StreamState> state = Map.of(
        CUSTOMER_ID, at(Map.of(low, three.position(low), mid, three.position(mid), HIGH, three.position(HIGH))),
        ORDERS_ID, at(Map.of(low, three.position(low), mid, three.position(mid), HIGH, three.position(HIGH))));
    three.commit(mid, tx -> tx.insert("customer", "1", "c1", "1.0"));
    for (int id = 10; id < 13; id++) {
      // 80- is still read when the journal comes
      String key = String.valueOf(id);
      three.commit(HIGH, tx -> tx.insert("customer", key, "c" + key, "1.0"));
    }
    // nothing is behind on -40
    Shard merged = new Shard("-80");
    reshardOnce(three, List.of(low, mid), List.of(merged), (table, key) -> merged);
    read(three, TestConfig.vstream().build(), state);

    assertEquals(1, three.streams(), "-40 is in the VStream too, so VTGate follows the merge's journal");
    assertEquals(List.of(1L, 10L, 11L, 12L), ids(CUSTOMER_ID));
    for (StreamId id : List.of(CUSTOMER_ID, ORDERS_ID)) {
      assertEquals(Set.of("-80", "80-"), out.lastStates().get(id).cursorsByShard().keySet());
    }
  }

  @Test
  void aCopyOfAShardReshardedAwayWhileTheSyncReadsIsATransientErrorAndTheNextSyncCopiesTheNewShards()
      throws Exception {
    String lowStart = vtgate.position(LOW);
    customer(LOW, 1);
    order(LOW, 2);
    // customer is streamed, orders (no state) copied after it on the one reader
    Map<StreamId, StreamState> state = Map.of(CUSTOMER_ID, at(Map.of(LOW, lowStart, HIGH, vtgate.position(HIGH))));
    Shard merged = new Shard("-");
    reshardOnce(vtgate, List.of(LOW, HIGH), List.of(merged), (table, key) -> merged);
    SourceException e = assertThrows(SourceException.class,
        () -> read(TestConfig.vstream().concurrency(1).build(), state));

    assertEquals(FailureType.TRANSIENT_ERROR, e.failureType(), e.getMessage());
    assertTrue(e.getMessage().startsWith("Shards [-80] of commerce were resharded while this sync copied"
        + " commerce.orders") && e.getMessage().contains("the next sync copies commerce.orders from the shards that"
        + " replaced them."), e.getMessage());
    Map<StreamId, StreamState> next = new HashMap<>(out.lastStates());
    read(TestConfig.vstream().concurrency(1).build(), next);
    assertEquals(List.of(2L), ids(ORDERS_ID));
    assertEquals(Set.of("-"), out.lastStates().get(ORDERS_ID).cursorsByShard().keySet());
  }

  @Test
  void aCopyCutByAReshardAfterSendingRowsSaysDeletedRowsMayStay() throws Exception {
    for (int id = 1; id <= 3; id++) {
      order(LOW, id);
    }
    Map<StreamId, StreamState> state = Map.of(CUSTOMER_ID, at(Map.of(LOW, vtgate.position(LOW), HIGH,
        vtgate.position(HIGH))));
    vtgate.batchSize(1);
    // the copy of orders on -80 breaks after its first row; meanwhile -80 is split
    int[] calls = {0};
    vtgate.breakAfter(() -> calls[0]++ == 0 ? 6 : -1);
    Shard a = new Shard("-40");
    Shard b = new Shard("40-80");
    reshardOnce(vtgate, List.of(LOW), List.of(a, b), (table, key) -> a);
    SourceException e = assertThrows(SourceException.class,
        () -> read(TestConfig.vstream().gtidWithTablePks(false).concurrency(1).build(), state));

    assertEquals(FailureType.TRANSIENT_ERROR, e.failureType(), e.getMessage());
    assertEquals(List.of(1L), ids(ORDERS_ID));
    assertTrue(e.getMessage().endsWith("Rows already copied from [-80] and deleted since may stay in the destination"
        + " until the stream is reset."), e.getMessage());
  }

  @Test
  void aReshardVtgateCannotFollowIsRetriedThenAConfigErrorNamingTheStreamsToReset() throws Exception {
    Map<StreamId, StreamState> state = bothWhereTheShardsStand();
    for (int id = 1; id <= 5; id++) {
      // -80 is still read when the journal of 80- comes
      customer(LOW, id);
    }
    // two reshards since the state: the second merges a shard the first made with 80-
    Shard a = new Shard("-40");
    Shard b = new Shard("40-80");
    vtgate.reshard(List.of(LOW), List.of(a, b), (table, key) -> a);
    Shard merged = new Shard("40-");
    vtgate.reshard(List.of(b, HIGH), List.of(merged), (table, key) -> merged);
    SourceException e = assertThrows(SourceException.class,
        () -> read(TestConfig.vstream().maxRetries(1).build(), state));

    assertEquals(2, vtgate.streams(), "retried once");
    assertEquals(FailureType.CONFIG_ERROR, e.failureType(), e.getMessage());
    assertTrue(e.getMessage().contains("cannot follow a reshard of keyspace commerce")
        && e.getMessage().contains("saved positions predate more than one reshard: reset the streams named")
        && e.getMessage().contains("shard 80-: commerce.customer (position from its saved state), commerce.orders"),
        e.getMessage());
  }

  /** Reshards after the first event the VStream hands over, as a reshard while a sync reads. */
  private static void reshardOnce(FakeChangeStreams vtgate, List<Shard> from, List<Shard> to,
      java.util.function.BiFunction<String, List<String>, Shard> route) {
    boolean[] done = {false};
    vtgate.afterEvent((shard, events) -> {
      if (!done[0]) {
        done[0] = true;
        vtgate.reshard(from, to, route);
      }
    });
  }
}
