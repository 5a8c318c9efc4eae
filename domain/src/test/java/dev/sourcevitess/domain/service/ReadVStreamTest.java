package dev.sourcevitess.domain.service;

import static dev.sourcevitess.domain.service.VStreamFixture.CUSTOMER_ID;
import static dev.sourcevitess.domain.service.VStreamFixture.HIGH;
import static dev.sourcevitess.domain.service.VStreamFixture.KEYSPACE;
import static dev.sourcevitess.domain.service.VStreamFixture.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.DedupDestination;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadVStreamTest {
  private final VStreamFixture f = new VStreamFixture(LOW, HIGH);

  private void seed() {
    for (long id : new long[] {1, 2, 3, 4, 5, 101, 102, 103}) {
      f.insert(id, "customer " + id);
    }
  }

  private Map<StreamId, StreamState> incrementalSync() throws InterruptedException {
    f.out.clear();
    f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, lastStateOr(Map.of()));
    assertNull(f.out.recordCountMismatch());
    return f.out.lastStates();
  }

  private Map<StreamId, StreamState> saved = Map.of();

  private Map<StreamId, StreamState> lastStateOr(Map<StreamId, StreamState> none) {
    return saved.isEmpty() ? none : saved;
  }

  @Test
  void fullRefreshCopiesEveryShardAndCompletes() throws Exception {
    seed();
    f.read(TestConfig.vstream().build(), SyncMode.FULL_REFRESH, Map.of());

    List<Object> ids = f.out.records(CUSTOMER_ID).stream().map(r -> r.data().get("id")).toList();
    assertEquals(8, ids.size());
    assertTrue(ids.containsAll(List.of(new BigDecimal(1), new BigDecimal(103))));
    assertEquals(List.of(StreamStatus.STARTED, StreamStatus.RUNNING, StreamStatus.COMPLETE),
        f.out.statuses(CUSTOMER_ID));
    assertNull(f.out.recordCountMismatch());
    assertFalse(f.out.overlapped());
    f.out.records(CUSTOMER_ID).forEach(r -> {
      assertNotNull(r.meta().updatedAt());
      assertNull(r.meta().deletedAt());
    });
  }

  /** Held copy rows go out together with their STATE, as extracted at one moment: one clock reading. */
  @Test
  void copyRowsReleasedTogetherShareOneExtractionTime() throws Exception {
    seed();
    f.read(TestConfig.vstream().build(), SyncMode.FULL_REFRESH, Map.of());

    List<Set<Instant>> batches = new ArrayList<>();
    Set<Instant> batch = new HashSet<>();
    for (RecordingOutput.Message m : f.out.messages()) {
      if (m instanceof RecordingOutput.Record r) {
        batch.add(r.meta().updatedAt());
      } else if (m instanceof RecordingOutput.State && !batch.isEmpty()) {
        batches.add(batch);
        batch = new HashSet<>();
      }
    }
    assertTrue(batch.isEmpty(), "every copy row is covered by a STATE");
    assertFalse(batches.isEmpty());
    // the clock moves 61 s per reading: rows stamped one by one would differ
    batches.forEach(times -> assertEquals(1, times.size(), times.toString()));
    assertEquals(8, f.out.records(CUSTOMER_ID).size());
  }

  @Test
  void vtgateIsAskedForTheSelectedColumnsAndTheKeyOnly() throws Exception {
    seed();
    f.reader(TestConfig.vstream().build())
        .read(List.of(new ConfiguredStream(CUSTOMER_ID, SyncMode.FULL_REFRESH, Set.of("balance"))), Map.of());
    f.vtgate.requests().forEach(r -> assertEquals(List.of("id", "balance"), r.columnsOf("customer"), r.toString()));
    assertEquals(Set.of("balance"), f.out.records(CUSTOMER_ID).get(0).data().keySet());
  }

  @Test
  void aCopyWhoseRuleNamesAColumnDroppedSinceTheSchemaWasReadGoesOnWithEveryColumn() throws Exception {
    // the schema read at the start still has name; the tablets no longer do
    f.vtgate.dropColumn("customer", "name");
    for (long id : new long[] {1, 101}) {
      f.vtgate.commit(f.shardOf(id), tx -> tx.insert("customer", String.valueOf(id), id + ".5000"));
    }
    f.reader(TestConfig.vstream().build())
        .read(List.of(new ConfiguredStream(CUSTOMER_ID, SyncMode.FULL_REFRESH, Set.of("id", "name"))), Map.of());

    // a copy per shard, each refused once
    Map<List<String>, Long> rules = f.vtgate.requests().stream().collect(
        java.util.stream.Collectors.groupingBy(r -> r.columnsOf("customer"), java.util.stream.Collectors.counting()));
    assertEquals(Map.of(List.of("id", "name"), 2L, List.of(), 2L), rules, "then SELECT *");
    assertEquals(2, f.out.records(CUSTOMER_ID).size());
    f.out.records(CUSTOMER_ID).forEach(r -> assertEquals(Set.of("id"), r.data().keySet()));
    List<String> warnings = f.out.logs(LogLevel.WARN).stream().map(RecordingOutput.Log::message)
        .filter(m -> m.contains("had no column name")).toList();
    assertEquals(1, warnings.size(), "named once, where the rule was narrowed: " + f.out.logs(LogLevel.WARN));
    assertEquals(StreamStatus.COMPLETE, f.out.statuses(CUSTOMER_ID).get(f.out.statuses(CUSTOMER_ID).size() - 1));
  }

  @Test
  void vtgateIsAskedForEveryColumnWhenAllOrNoneAreSelected() throws Exception {
    seed();
    f.reader(TestConfig.vstream().build())
        .read(List.of(new ConfiguredStream(CUSTOMER_ID, SyncMode.FULL_REFRESH, Set.of("id", "name", "balance"))),
            Map.of());
    f.read(TestConfig.vstream().build(), SyncMode.FULL_REFRESH, Map.of());
    assertFalse(f.vtgate.requests().isEmpty());
    f.vtgate.requests().forEach(r -> assertEquals(List.of(), r.columnsOf("customer"), "SELECT *"));
  }

  @Test
  void incrementalCopiesThenCapturesInsertsUpdatesAndDeletes() throws Exception {
    seed();
    saved = incrementalSync();
    assertEquals(8, f.out.records(CUSTOMER_ID).size());

    f.insert(6, "new");
    f.update(2, "renamed");
    f.delete(101);
    saved = incrementalSync();

    List<RecordingOutput.Record> changes = f.out.records(CUSTOMER_ID);
    assertEquals(3, changes.size(), changes.toString());
    RecordingOutput.Record deleted = changes.stream()
        .filter(r -> r.data().get("id").equals(new BigDecimal(101))).findFirst().orElseThrow();
    assertNotNull(deleted.meta().deletedAt(), "a delete carries _ab_cdc_deleted_at");
    assertEquals("customer 101", deleted.data().get("name"), "a delete carries the before image");
    RecordingOutput.Record updated = changes.stream()
        .filter(r -> r.data().get("id").equals(new BigDecimal(2))).findFirst().orElseThrow();
    assertEquals("renamed", updated.data().get("name"));
    assertEquals(new BigDecimal("2.2500"), updated.data().get("balance"));
  }

  @Test
  void cdcCursorGrowsThroughASyncAndAcrossSyncs() throws Exception {
    seed();
    saved = incrementalSync();
    long lastOfFirst = f.out.records(CUSTOMER_ID).stream().mapToLong(r -> r.meta().cursor()).max().orElseThrow();
    long previous = Long.MIN_VALUE;
    for (RecordingOutput.Record r : f.out.records(CUSTOMER_ID)) {
      assertTrue(r.meta().cursor() > previous);
      previous = r.meta().cursor();
    }
    f.update(3, "again");
    saved = incrementalSync();
    assertTrue(f.out.records(CUSTOMER_ID).get(0).meta().cursor() > lastOfFirst);
  }

  @Test
  void aSyncWithNothingNewOpensNoStreamBeyondThePeekAndReemitsState() throws Exception {
    seed();
    saved = incrementalSync();
    int streamsBefore = f.vtgate.streams();
    int peeksBefore = f.vtgate.peeks();
    int schemaReadsBefore = f.schema.tableReads();

    Map<StreamId, StreamState> again = incrementalSync();

    assertEquals(streamsBefore, f.vtgate.streams(), "no VStream beyond the peek");
    assertEquals(peeksBefore + 1, f.vtgate.peeks());
    assertEquals(schemaReadsBefore, f.schema.tableReads(), "nothing to read, so no schema either");
    assertEquals(List.of(new RecordingOutput.Estimate(CUSTOMER_ID, 0, 0)), f.out.messages().stream()
        .filter(RecordingOutput.Estimate.class::isInstance).toList(), "no rows expected");
    assertEquals(saved, again, "the state is emitted again unchanged");
    assertEquals(List.of(StreamStatus.STARTED, StreamStatus.RUNNING, StreamStatus.COMPLETE),
        f.out.statuses(CUSTOMER_ID));
    assertTrue(f.out.records().isEmpty());
    assertEquals(List.of("Up to date on every shard, nothing to read: commerce.customer."),
        f.out.logs(LogLevel.INFO).stream().map(RecordingOutput.Log::message).toList());
  }

  @Test
  void aStreamWhoseTableIsGoneIsIncompleteWhileTheOthersAreReadAndTheSyncFailsAtItsEnd() {
    seed();
    StreamId dropped = new StreamId(KEYSPACE, "dropped");
    List<ConfiguredStream> catalog = List.of(new ConfiguredStream(dropped, SyncMode.INCREMENTAL, Set.of()),
        new ConfiguredStream(CUSTOMER_ID, SyncMode.INCREMENTAL, Set.of()));
    SourceException e = assertThrows(SourceException.class,
        () -> f.reader(TestConfig.vstream().build()).read(catalog, Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("There is no table dropped in " + KEYSPACE + "; refresh the source schema"),
        e.getMessage());
    assertEquals(8, f.out.records(CUSTOMER_ID).size(), "the other stream is read");
    assertEquals(StreamStatus.COMPLETE, f.out.statuses(CUSTOMER_ID).get(f.out.statuses(CUSTOMER_ID).size() - 1));
    assertEquals(List.of(StreamStatus.INCOMPLETE), f.out.statuses(dropped));
    assertEquals(1, f.out.logs(LogLevel.ERROR).size());
  }

  @Test
  void aSyncThatFailsBeforeReadingEndsEveryConfiguredStream() {
    seed();
    List<ConfiguredStream> catalog = List.of(new ConfiguredStream(CUSTOMER_ID, SyncMode.INCREMENTAL, Set.of()));
    SourceException e = assertThrows(SourceException.class,
        () -> f.reader(TestConfig.vstream().shards("-40").build()).read(catalog, Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertEquals(List.of(StreamStatus.INCOMPLETE), f.out.statuses(CUSTOMER_ID));
  }

  @Test
  void aShardWithoutChangesJoinsTheVStreamAtItsStopSoAReshardOfItCanBeFollowed() throws Exception {
    seed();
    saved = incrementalSync();
    int before = f.vtgate.requests().size();
    String highStop = f.vtgate.position(HIGH);
    long highRead = f.vtgate.transactionsRead(HIGH);
    f.insert(7, "low only");
    saved = incrementalSync();
    List<ChangeStreams.Request> after = f.vtgate.requests().subList(before, f.vtgate.requests().size());
    assertEquals(1, after.size());
    Map<Shard, String> starts = new HashMap<>();
    after.get(0).starts().forEach(start -> starts.put(start.shard(), start.position()));
    assertEquals(Set.of(LOW, HIGH), starts.keySet());
    assertEquals(highStop, starts.get(HIGH), "80- starts where it stands: nothing of it is read again");
    assertEquals(highRead, f.vtgate.transactionsRead(HIGH));
  }

  @Test
  void positionsAreComparedAsGtidSetsNotStrings() {
    String stop = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10,4e11fa47-71ca-11e1-9e33-c80aa9429562:1-3";
    String sameSetOtherSpelling =
        "MySQL56/4e11fa47-71ca-11e1-9e33-c80aa9429562:1-3, 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:6-10";
    String past = "MySQL56/4e11fa47-71ca-11e1-9e33-c80aa9429562:1-3, 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:6-12";
    assertEquals(StopRule.Standing.AT, StopRule.standing(sameSetOtherSpelling, stop));
    assertEquals(StopRule.Standing.AHEAD, StopRule.standing(past, stop), "transactions the shard never had");
    assertEquals(StopRule.Standing.BEHIND, StopRule.standing(stop, past));
    assertTrue(StopRule.contains(past, stop));
    assertFalse(StopRule.contains(stop, past));
    assertFalse(StopRule.contains("", stop));
  }

  @Test
  void theShardFilterReadsOnlyItsShards() throws Exception {
    seed();
    f.read(TestConfig.vstream().shards("80-").build(), SyncMode.FULL_REFRESH, Map.of());
    assertEquals(3, f.out.records(CUSTOMER_ID).size());
    assertTrue(f.vtgate.requests().stream().allMatch(r -> r.starts().get(0).shard().equals(HIGH)));
    assertEquals(1, f.out.lastStates().get(CUSTOMER_ID).cursorsByShard().size());
  }

  @Test
  void aShardFilterNamingAnUnknownShardIsAConfigError() {
    SourceException e = assertThrows(SourceException.class,
        () -> f.read(TestConfig.vstream().shards("-80", "c0-").build(), SyncMode.INCREMENTAL, Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("c0-"), e.getMessage());
    assertTrue(e.getMessage().contains("-80, 80-"), e.getMessage());
    assertEquals(0, f.vtgate.streams());
  }

  @Test
  void startingGtidsStartStreamsWithoutStateFromTheirPosition() throws Exception {
    seed();
    String lowAt = f.vtgate.position(LOW);
    f.insert(8, "after the starting position");
    f.read(TestConfig.vstream().startingGtids(Map.of(KEYSPACE, Map.of(LOW, lowAt))).build(), SyncMode.INCREMENTAL,
        Map.of());

    ChangeStreams.Request low = f.vtgate.requests().stream()
        .filter(r -> r.starts().get(0).shard().equals(LOW)).findFirst().orElseThrow();
    assertEquals(lowAt, low.starts().get(0).position());
    List<Object> lowIds = f.out.records(CUSTOMER_ID).stream().map(r -> r.data().get("id"))
        .filter(id -> ((BigDecimal) id).longValue() < 100).toList();
    assertEquals(List.of(new BigDecimal(8)), lowIds, "only what came after the starting position");
  }

  @Test
  void aStartingGtidFromAnotherServerIsBlamedByNameNotAsASavedPosition() throws Exception {
    seed();
    String foreign = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5";
    SourceException e = assertThrows(SourceException.class, () -> f.read(TestConfig.vstream().startingGtids(
        Map.of(KEYSPACE, Map.of(LOW, foreign))).build(), SyncMode.INCREMENTAL, Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    // caught before anything is read: the shard never reached that position
    assertTrue(e.getMessage().startsWith("starting_gtids for shard -80 (stream " + CUSTOMER_ID + ") holds the position "
        + foreign + ", which shard -80 of " + KEYSPACE + " never reached"), e.getMessage());
    assertFalse(e.getMessage().contains("saved position"), e.getMessage());
  }

  @Test
  void stateWinsOverStartingGtids() throws Exception {
    seed();
    saved = incrementalSync();
    f.insert(9, "x");
    f.out.clear();
    f.read(TestConfig.vstream().startingGtids(Map.of(KEYSPACE, Map.of(LOW, "MySQL56/"
        + "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-1"))).build(), SyncMode.INCREMENTAL, saved);
    assertEquals(1, f.out.records(CUSTOMER_ID).size());
  }

  @Test
  void aBrokenCopyResumesFromTheLastCheckpointWithItsPositionAndKey() throws Exception {
    for (long id = 1; id <= 20; id++) {
      f.insert(id, "c" + id);
    }
    f.vtgate.batchSize(4);
    int[] calls = {0};
    f.vtgate.breakAfter(() -> calls[0]++ == 0 ? 12 : -1);
    f.read(TestConfig.vstream().shards("-80").build(), SyncMode.INCREMENTAL, Map.of());

    List<ChangeStreams.Request> requests = f.vtgate.requests();
    assertEquals(2, requests.size());
    ChangeStreams.Start resumed = requests.get(1).starts().get(0);
    assertFalse(resumed.position().isEmpty(), "copy resume keeps the position");
    assertNotNull(resumed.lastPk());
    assertEquals(1, f.out.logs(LogLevel.WARN).size());
    DedupDestination destination = new DedupDestination(List.of("id"));
    destination.apply(f.out.records(), CUSTOMER_ID);
    assertEquals(20, destination.rows().size());
    assertNull(f.out.recordCountMismatch());
  }

  @Test
  void withoutGtidWithTablePksACopyRestartsFromTheKeyOnAFreshSnapshot() throws Exception {
    for (long id = 1; id <= 20; id++) {
      f.insert(id, "c" + id);
    }
    f.vtgate.batchSize(4);
    int[] calls = {0};
    f.vtgate.breakAfter(() -> calls[0]++ == 0 ? 12 : -1);
    f.read(TestConfig.vstream().shards("-80").gtidWithTablePks(false).build(), SyncMode.INCREMENTAL, Map.of());
    ChangeStreams.Start resumed = f.vtgate.requests().get(1).starts().get(0);
    assertEquals("", resumed.position());
    assertNotNull(resumed.lastPk());
  }

  @Test
  void retriesRunOutIntoATransientErrorWithTheStreamIncomplete() throws Exception {
    seed();
    f.vtgate.breakAfter(() -> 5);
    SourceException e = assertThrows(SourceException.class,
        () -> f.read(TestConfig.vstream().maxRetries(2).build(), SyncMode.INCREMENTAL, Map.of()));
    assertEquals(FailureType.TRANSIENT_ERROR, e.failureType());
    assertEquals(StreamStatus.INCOMPLETE, f.out.statuses(CUSTOMER_ID).get(f.out.statuses(CUSTOMER_ID).size() - 1));
    assertEquals(2 * 3, f.vtgate.streams(), "each shard: one try and two retries");
  }

  @Test
  void refusedCredentialsAreAConfigErrorWithoutRetry() {
    f.vtgate.failEveryCall(new ChangeStreamException(ChangeStreamException.Reason.ACCESS_DENIED, "denied"));
    SourceException e = assertThrows(SourceException.class,
        () -> f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("reader"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret-Pa55"));
  }

  @Test
  void aLostPositionTellsTheUserToResetTheStream() throws Exception {
    seed();
    TableCursor bogus = new TableCursor(LOW, KEYSPACE, "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-999", null);
    Map<StreamId, StreamState> state = Map.of(CUSTOMER_ID, new StreamState(Map.of(
        "-80", new TextCursorCodec().encode(bogus))));
    SourceException e = assertThrows(SourceException.class,
        () -> f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, state));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("reset the stream"), e.getMessage());
  }

  @Test
  void anUnreadableStateIsAConfigErrorBeforeAnythingIsRead() {
    Map<StreamId, StreamState> state = Map.of(CUSTOMER_ID, new StreamState(Map.of("-80", "not a cursor")));
    SourceException e = assertThrows(SourceException.class,
        () -> f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, state));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("customer") && e.getMessage().contains("-80"), e.getMessage());
    assertEquals(0, f.vtgate.peeks());
  }

  @Test
  void shardsAreReadInParallelButOutputNeverOverlaps() throws Exception {
    VStreamFixture four = new VStreamFixture(new Shard("-40"), new Shard("40-80"), new Shard("80-c0"),
        new Shard("c0-"));
    java.util.concurrent.CountDownLatch allStarted = new java.util.concurrent.CountDownLatch(4);
    four.vtgate.afterEvent((shard, events) -> {
      if (events == 1) {
        allStarted.countDown();
        try {
          // each shard waits until all four are streaming: only a parallel read gets past this
          if (!allStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("shards were not read in parallel");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    for (String s : List.of("-40", "40-80", "80-c0", "c0-")) {
      for (int i = 0; i < 30; i++) {
        String id = s.hashCode() % 1000 * 100 + i + "";
        four.vtgate.commit(new Shard(s), tx -> tx.insert("customer", id, "n", "1.0"));
      }
    }
    four.read(TestConfig.vstream().build(), SyncMode.FULL_REFRESH, Map.of());
    assertEquals(120, four.out.records(CUSTOMER_ID).size());
    assertFalse(four.out.overlapped());
    assertNull(four.out.recordCountMismatch());
  }

  @Test
  void checkpointsDuringALongCopyCarryTheLastKey() throws Exception {
    for (long id = 1; id <= 10; id++) {
      f.insert(id, "c" + id);
    }
    f.vtgate.batchSize(2);
    f.read(TestConfig.vstream().shards("-80").build(), SyncMode.INCREMENTAL, Map.of());
    TextCursorCodec codec = new TextCursorCodec();
    long midCopy = f.out.checkpoints(CUSTOMER_ID).stream()
        .map(c -> codec.decode(c.state().cursorsByShard().get("-80")))
        .filter(c -> c.lastKnownPk() != null && !c.position().isEmpty()).count();
    assertTrue(midCopy >= 3, "states during the copy hold position and last key");
    TableCursor last = codec.decode(f.out.lastStates().get(CUSTOMER_ID).cursorsByShard().get("-80"));
    assertNull(last.lastKnownPk());
    assertEquals(f.vtgate.position(LOW), last.position());
  }

  @Test
  void copyResumeCatchesChangesBehindTheCopyThatARestartFromTheKeyLoses() throws Exception {
    for (boolean gtidWithTablePks : new boolean[] {true, false}) {
      VStreamFixture g = new VStreamFixture(LOW);
      for (long id = 1; id <= 8; id++) {
        g.insert(id, "c" + id);
      }
      g.vtgate.batchSize(2);
      int[] calls = {0};
      // break the first stream mid-copy, and update a row already copied before the retry
      g.vtgate.breakAfter(() -> calls[0]++ == 0 ? 9 : -1);
      g.vtgate.afterEvent((shard, events) -> {
        if (calls[0] == 1 && events == 9) {
          g.update(1, "changed behind the copy");
        }
      });
      g.read(TestConfig.vstream().gtidWithTablePks(gtidWithTablePks).build(), SyncMode.INCREMENTAL, Map.of());
      DedupDestination destination = new DedupDestination(List.of("id"));
      destination.apply(g.out.records(), CUSTOMER_ID);
      Object name = destination.rows().get(List.<Object>of(new BigDecimal(1))).get("name");
      if (gtidWithTablePks) {
        assertEquals("changed behind the copy", name);
      } else {
        assertEquals("c1", name, "PlanetScale's behaviour: the fresh snapshot starts after the change, so it is lost");
      }
    }
  }

  /**
   * A sync killed after some copy rows went out and before the STATE that covers them: rows past
   * the saved key are in the destination, and one of them is deleted before the next sync. The
   * copy that resumes never sees that row; the replay from where the copy began brings its delete.
   */
  @Test
  void aCopyKilledBetweenItsRowsAndTheirStateLeavesNoDeletedRowBehind() throws Exception {
    for (boolean gtidWithTablePks : new boolean[] {true, false}) {
      VStreamFixture g = new VStreamFixture(LOW);
      for (long id = 1; id <= 8; id++) {
        g.insert(id, "c" + id);
      }
      g.vtgate.batchSize(2);
      g.read(TestConfig.vstream().gtidWithTablePks(gtidWithTablePks).build(), SyncMode.INCREMENTAL, Map.of());
      List<RecordingOutput.Message> all = g.out.messages();
      // killed right after the copy rows of ids 3 and 4, before their STATE
      int cut = 0;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i) instanceof RecordingOutput.Record r && r.data().get("id").equals(new BigDecimal(4))) {
          cut = i + 1;
        }
      }
      assertTrue(all.get(cut) instanceof RecordingOutput.State, "the STATE covering id 4 follows it: " + all);
      RecordingOutput killed = g.out.prefix(cut);
      DedupDestination destination = new DedupDestination(List.of("id"));
      destination.apply(killed.records(), CUSTOMER_ID);
      assertTrue(destination.rows().containsKey(List.<Object>of(new BigDecimal(4))));

      g.delete(4);
      g.update(3, "changed while no sync ran");
      g.out.clear();
      g.read(TestConfig.vstream().gtidWithTablePks(gtidWithTablePks).build(), SyncMode.INCREMENTAL,
          killed.lastStates());
      destination.apply(g.out.records(), CUSTOMER_ID);

      assertFalse(destination.rows().containsKey(List.<Object>of(new BigDecimal(4))), "use_gtid_with_table_pks "
          + gtidWithTablePks + ": " + destination.rows());
      assertEquals("changed while no sync ran", destination.rows().get(List.<Object>of(new BigDecimal(3))).get("name"));
      assertEquals(7, destination.rows().size());
      assertNull(g.out.recordCountMismatch());
      assertTrue(g.out.logs(LogLevel.INFO).stream().anyMatch(l -> l.message().contains("read again")),
          g.out.logs(LogLevel.INFO).toString());
    }
  }

  /** A copy that one sync runs from start to end needs no replay: its rows never went out without their STATE. */
  @Test
  void aCopyDoneInOneSyncIsNotReadAgain() throws Exception {
    for (long id = 1; id <= 8; id++) {
      f.insert(id, "c" + id);
    }
    f.vtgate.batchSize(2);
    f.read(TestConfig.vstream().shards("-80").build(), SyncMode.INCREMENTAL, Map.of());
    assertEquals(1, f.vtgate.requests().size(), f.vtgate.requests().toString());
    assertEquals(8, f.out.records(CUSTOMER_ID).size());
    TextCursorCodec codec = new TextCursorCodec();
    TableCursor first = codec.decode(f.out.checkpoints(CUSTOMER_ID).get(0).state().cursorsByShard().get("-80"));
    assertTrue(first.copying() && first.replayFrom() != null, "the copy's start is saved before its rows: " + first);
    assertEquals(0, f.out.checkpoints(CUSTOMER_ID).get(0).recordCount());
  }

  @Test
  void heartbeatsShortOfTheStopNeverEndTheSync() throws Exception {
    seed();
    saved = incrementalSync();
    f.vtgate.heartbeatsBeforeTransactions(3);
    f.insert(6, "after a long transaction");
    f.insert(104, "on the other shard");
    // the fixture's clock moves 61 s a reading: three heartbeats would look like minutes of silence
    f.out.clear();
    f.read(TestConfig.vstream().timeoutSeconds(3600).build(), SyncMode.INCREMENTAL, saved);
    saved = f.out.lastStates();

    assertEquals(2, f.out.records(CUSTOMER_ID).size(), "read in the same sync, past the heartbeats");
    TextCursorCodec codec = new TextCursorCodec();
    assertEquals(f.vtgate.position(LOW), codec.decode(saved.get(CUSTOMER_ID).cursorsByShard().get("-80")).position());
    assertEquals(f.vtgate.position(HIGH), codec.decode(saved.get(CUSTOMER_ID).cursorsByShard().get("80-")).position());
  }

  @Test
  void aLongCopyNeverGoesTenThousandRecordsWithoutAState() throws Exception {
    VStreamFixture g = new VStreamFixture(LOW);
    g.vtgate.commit(LOW, tx -> {
      for (long id = 1; id <= 25_000; id++) {
        tx.insert("customer", String.valueOf(id), "c", "1.0");
      }
    });
    g.vtgate.batchSize(700);
    RecordingOutput out = g.out;
    new ReadStreams(TestConfig.vstream().build(), new dev.sourcevitess.domain.fake.FakeSchemaReader(
        VStreamFixture.CUSTOMER), new dev.sourcevitess.domain.fake.FakeRowSnapshots(), g.vtgate, new TextCursorCodec(),
        out, java.time.Clock.fixed(java.time.Instant.parse("2025-01-01T00:00:00Z"), java.time.ZoneOffset.UTC),
        d -> { }).read(VStreamFixture.catalog(SyncMode.INCREMENTAL), Map.of());

    List<Long> counts = out.checkpoints(CUSTOMER_ID).stream().map(c -> c.recordCount()).toList();
    assertEquals(25_000L, counts.stream().mapToLong(Long::longValue).sum());
    assertTrue(counts.stream().allMatch(n -> n <= 10_000), counts.toString());
    assertTrue(counts.size() <= 5, "states come about every 10,000 records, not every batch: " + counts);
  }
}
