package dev.sourcevitess.domain.service;

import static dev.sourcevitess.domain.service.VStreamFixture.CUSTOMER_ID;
import static dev.sourcevitess.domain.service.VStreamFixture.HIGH;
import static dev.sourcevitess.domain.service.VStreamFixture.KEYSPACE;
import static dev.sourcevitess.domain.service.VStreamFixture.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.DedupDestination;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.TableCursor;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vitess over MariaDB: shards report {@code MariaDB/domain-server-sequence} positions. */
class ReadMariaDbPositionsTest {
  private static final String MYSQL_POSITION = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5";

  private final VStreamFixture f = mariaDb();

  private static VStreamFixture mariaDb() {
    VStreamFixture fixture = new VStreamFixture(LOW, HIGH);
    fixture.vtgate.flavor(GtidPosition.Flavor.MARIADB);
    return fixture;
  }

  private void seed() {
    for (long id : new long[] {1, 2, 3, 101, 102}) {
      f.insert(id, "customer " + id);
    }
  }

  private Map<StreamId, StreamState> sync(SourceConfig config, Map<StreamId, StreamState> state)
      throws InterruptedException {
    f.out.clear();
    f.read(config, SyncMode.INCREMENTAL, state);
    assertNull(f.out.recordCountMismatch());
    return f.out.lastStates();
  }

  private static Map<StreamId, StreamState> stateAt(Shard shard, String position) {
    TableCursor cursor = new TableCursor(shard, KEYSPACE, position, null);
    return Map.of(CUSTOMER_ID, new StreamState(Map.of(shard.name(), new TextCursorCodec().encode(cursor))));
  }

  private static String positionIn(Map<StreamId, StreamState> state, Shard shard) {
    return new TextCursorCodec().decode(state.get(CUSTOMER_ID).cursorsByShard().get(shard.name())).position();
  }

  private List<BigDecimal> ids() {
    return f.out.records(CUSTOMER_ID).stream().map(r -> (BigDecimal) r.data().get("id")).toList();
  }

  @Test
  void syncsResumeFromMariaDbPositionsInTheirState() throws Exception {
    seed();
    Map<StreamId, StreamState> first = sync(TestConfig.vstream().build(), Map.of());
    assertEquals(5, f.out.records(CUSTOMER_ID).size());
    assertTrue(positionIn(first, LOW).startsWith("MariaDB/0-"), positionIn(first, LOW));
    assertEquals(f.vtgate.position(LOW), positionIn(first, LOW));

    f.insert(4, "new");
    f.update(101, "changed");
    f.delete(2);
    int streamsBefore = f.vtgate.streams();
    Map<StreamId, StreamState> second = sync(TestConfig.vstream().build(), first);
    assertEquals(List.of(new BigDecimal(2), new BigDecimal(4), new BigDecimal(101)), ids().stream().sorted().toList(),
        "only the changes since the state");
    assertTrue(f.out.records(CUSTOMER_ID).stream()
        .anyMatch(r -> r.data().get("id").equals(new BigDecimal(2)) && r.meta().deletedAt() != null));
    assertEquals(1, f.vtgate.streams() - streamsBefore, "one VStream for the keyspace");
    assertEquals(2, f.vtgate.requests().get(f.vtgate.requests().size() - 1).starts().size(), "both shards had news");
    assertEquals(f.vtgate.position(HIGH), positionIn(second, HIGH));

    int peeks = f.vtgate.peeks();
    streamsBefore = f.vtgate.streams();
    sync(TestConfig.vstream().build(), second);
    assertEquals(peeks + 1, f.vtgate.peeks());
    assertEquals(streamsBefore, f.vtgate.streams(), "at the stop on every shard: no VStream");
    assertTrue(f.out.records(CUSTOMER_ID).isEmpty());
  }

  /** The server id orders nothing: a saved GTID at the stop's sequence is there, whoever wrote it. */
  @Test
  void aSavedPositionAtTheStopsSequenceIsUpToDateWhicheverServerWroteIt() throws Exception {
    seed();
    String stop = f.vtgate.position(LOW);
    String sameSequenceOtherServer = stop.replaceFirst("^MariaDB/0-\\d+-", "MariaDB/0-999-");
    assertFalse(stop.equals(sameSequenceOtherServer));
    sync(TestConfig.vstream().shards("-80").build(), stateAt(LOW, sameSequenceOtherServer));
    assertEquals(0, f.vtgate.streams());
  }

  @Test
  void startingGtidsTakeMariaDbPositions() throws Exception {
    seed();
    String lowAt = f.vtgate.position(LOW);
    f.insert(8, "after the starting position");
    sync(TestConfig.vstream().shards("-80").startingGtids(Map.of(KEYSPACE, Map.of(LOW, lowAt))).build(), Map.of());
    assertEquals(lowAt, f.vtgate.requests().get(0).starts().get(0).position());
    assertEquals(List.of(new BigDecimal(8)), ids(), "only what came after the starting position");
  }

  @Test
  void aMysqlStateAgainstAMariaDbClusterIsAConfigErrorBeforeAnythingIsRead() {
    seed();
    SourceException e = assertThrows(SourceException.class,
        () -> sync(TestConfig.vstream().build(), stateAt(LOW, MYSQL_POSITION)));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("The state of stream " + CUSTOMER_ID + " on shard -80 holds the MySQL56 position "
        + MYSQL_POSITION + ", but shard -80 of commerce reports MariaDB positions (" + f.vtgate.position(LOW) + ")"),
        e.getMessage());
    assertTrue(e.getMessage().contains("reset the stream"), e.getMessage());
    assertEquals(0, f.vtgate.streams());
  }

  @Test
  void aMysqlStartingGtidAgainstAMariaDbShardIsAConfigErrorSayingHowToFindTheRightOne() {
    SourceException e = assertThrows(SourceException.class, () -> sync(TestConfig.vstream()
        .startingGtids(Map.of(KEYSPACE, Map.of(HIGH, MYSQL_POSITION))).build(), Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("starting_gtids for shard 80- (stream " + CUSTOMER_ID
        + ") holds the MySQL56 position"), e.getMessage());
    assertTrue(e.getMessage().contains("@@gtid_binlog_pos"), e.getMessage());
    assertEquals(0, f.vtgate.streams());
  }

  @Test
  void aMariaDbStateAgainstAMysqlClusterIsAConfigErrorToo() {
    VStreamFixture mysql = new VStreamFixture(LOW, HIGH);
    SourceException e = assertThrows(SourceException.class, () -> mysql.read(TestConfig.vstream().build(),
        SyncMode.INCREMENTAL, stateAt(LOW, "MariaDB/0-100-57")));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("holds the MariaDB position MariaDB/0-100-57, but shard -80 of commerce"
        + " reports MySQL56 positions"), e.getMessage());
  }

  @Test
  void aCopyBrokenOnMariaDbResumesFromItsPositionAndKey() throws Exception {
    for (long id = 1; id <= 20; id++) {
      f.insert(id, "c" + id);
    }
    f.vtgate.batchSize(4);
    int[] calls = {0};
    f.vtgate.breakAfter(() -> calls[0]++ == 0 ? 12 : -1);
    sync(TestConfig.vstream().shards("-80").build(), Map.of());
    String resumedAt = f.vtgate.requests().get(1).starts().get(0).position();
    assertTrue(resumedAt.startsWith("MariaDB/0-"), resumedAt);
    DedupDestination destination = new DedupDestination(List.of("id"));
    destination.apply(f.out.records(), CUSTOMER_ID);
    assertEquals(20, destination.rows().size());
  }

  @Test
  void mariaDbPositionsAreComparedPerDomainBySequence() {
    String stop = "MariaDB/0-100-10,1-200-3";
    assertEquals(StopRule.Standing.AT, StopRule.standing("MariaDB/1-201-3,0-101-10", stop),
        "other servers, the same sequences");
    assertEquals(StopRule.Standing.BEHIND, StopRule.standing("MariaDB/0-100-10", stop), "domain 1 is missing");
    assertEquals(StopRule.Standing.BEHIND, StopRule.standing("MariaDB/0-100-9,1-200-3", stop));
    assertEquals(StopRule.Standing.AHEAD, StopRule.standing("MariaDB/0-100-12,1-200-3", stop), "past the shard");
    // the stop rule ends a sync once a shard's position contains its stop, in any spelling
    assertTrue(StopRule.contains("MariaDB/1-201-3,0-101-10", stop));
    assertTrue(StopRule.contains("MariaDB/0-100-12,1-200-4", stop));
    assertFalse(StopRule.contains("MariaDB/0-100-9,1-200-3", stop));
    assertTrue(new StopRule(Map.of(new Shard("-80"), stop)).reached(new Shard("-80"), "MariaDB/0-100-11,1-200-3"));
    assertThrows(IllegalArgumentException.class, () -> StopRule.standing(MYSQL_POSITION, stop));
  }

  /**
   * Every MariaDB cluster counts in domain 0: a position past where the primary stands is another
   * cluster's or made up, never up to date (VTGate over MariaDB would wait for it in silence).
   */
  @Test
  void aPositionPastThePrimaryIsAConfigErrorNamingItsSource() {
    seed();
    String stop = f.vtgate.position(LOW);
    String past = stop.replaceFirst("-\\d+$", "-1000000");
    SourceException fromState = assertThrows(SourceException.class,
        () -> sync(TestConfig.vstream().shards("-80").build(), stateAt(LOW, past)));
    assertEquals(FailureType.CONFIG_ERROR, fromState.failureType());
    assertEquals("The state of stream " + CUSTOMER_ID + " on shard -80 holds the position " + past + ", which shard"
        + " -80 of commerce never reached: it stands at " + stop + ". The state comes from another cluster; reset"
        + " the stream so that it is copied afresh.", fromState.getMessage());

    SourceException fromConfig = assertThrows(SourceException.class, () -> sync(TestConfig.vstream().shards("-80")
        .startingGtids(Map.of(KEYSPACE, Map.of(LOW, past))).build(), Map.of()));
    assertTrue(fromConfig.getMessage().startsWith("starting_gtids for shard -80 (stream " + CUSTOMER_ID
        + ") holds the position " + past + ", which shard -80 of commerce never reached"), fromConfig.getMessage());
    assertEquals(0, f.vtgate.streams());
  }

  /** A replica may lag behind the one a state was saved on: there VTGate judges the position. */
  @Test
  void onReplicasAPositionPastThePeekIsStreamedNotSkipped() {
    seed();
    String past = f.vtgate.position(LOW).replaceFirst("-\\d+$", "-1000000");
    SourceException e = assertThrows(SourceException.class,
        () -> sync(TestConfig.vstream().shards("-80").useReplica(true).build(), stateAt(LOW, past)));
    assertEquals(past, f.vtgate.requests().get(0).starts().get(0).position());
    assertTrue(e.getMessage().contains("reset the stream"), e.getMessage());
  }
}
