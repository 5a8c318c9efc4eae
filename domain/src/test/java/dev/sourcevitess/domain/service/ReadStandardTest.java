package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.FakeChangeStreams;
import dev.sourcevitess.domain.fake.FakeRowSnapshots;
import dev.sourcevitess.domain.fake.FakeSchemaReader;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadStandardTest {
  private static final Table ITEMS = new Table("items", List.of(VStreamFixture.column("id", "int", false),
      VStreamFixture.column("label", "varchar(10)", true)), List.of("id"), 25_000, 1 << 20);
  private static final Table LOGS = new Table("logs", List.of(VStreamFixture.column("line", "text", true)),
      List.of(), 3, 100);
  /** A FLOAT key prints rounded: it cannot say where a read stopped. */
  private static final Table READINGS = new Table("readings", List.of(VStreamFixture.column("at", "float", false)),
      List.of("at"), 12_000, 1 << 16);
  private static final StreamId ITEMS_ID = new StreamId("commerce", "items");
  private static final StreamId READINGS_ID = new StreamId("commerce", "readings");
  private static final StreamId LOGS_ID = new StreamId("commerce", "logs");

  private final FakeRowSnapshots snapshots = new FakeRowSnapshots();
  private final RecordingOutput out = new RecordingOutput();
  private final TextCursorCodec codec = new TextCursorCodec();

  ReadStandardTest() {
    List<String[]> rows = new ArrayList<>();
    for (int i = 1; i <= 25_000; i++) {
      rows.add(new String[] {String.valueOf(i), "l" + i});
    }
    snapshots.put(ITEMS, rows);
    snapshots.put("logs", List.of(new String[] {"a"}, new String[] {"b"}, new String[] {null}));
    List<String[]> readings = new ArrayList<>();
    for (int i = 1; i <= 12_000; i++) {
      readings.add(new String[] {i + ".5"});
    }
    snapshots.put("readings", readings);
  }

  private void read(SourceConfig config, List<ConfiguredStream> catalog, Map<StreamId, StreamState> state)
      throws InterruptedException {
    new ReadStreams(config, new FakeSchemaReader(ITEMS, LOGS, READINGS), snapshots,
        new FakeChangeStreams("commerce", List.of(), List.of()), codec, out, Clock.systemUTC(), d -> { })
        .read(catalog, state);
  }

  private static ConfiguredStream full(StreamId id) {
    return new ConfiguredStream(id, SyncMode.FULL_REFRESH, Set.of());
  }

  @Test
  void readsEveryRowWithStatusesEstimatesAndCheckpointsEveryTenThousand() throws Exception {
    read(TestConfig.standard().build(), List.of(full(ITEMS_ID), full(LOGS_ID)), Map.of());

    assertEquals(25_000, out.records(ITEMS_ID).size());
    assertEquals(3, out.records(LOGS_ID).size());
    assertEquals(List.of(StreamStatus.STARTED, StreamStatus.RUNNING, StreamStatus.COMPLETE), out.statuses(ITEMS_ID));
    List<Checkpoint> states = out.checkpoints(ITEMS_ID);
    assertEquals(List.of(10_000L, 10_000L, 5_000L), states.stream().map(Checkpoint::recordCount).toList());
    TableCursor mid = codec.decode(states.get(1).state().cursorsByShard().get("-"));
    assertEquals("20000", new String(mid.lastKnownPk().values().get(0).value()));
    assertNull(codec.decode(states.get(2).state().cursorsByShard().get("-")).lastKnownPk(),
        "a finished full refresh starts over next time");
    assertNull(out.recordCountMismatch());
    assertTrue(out.messages().stream().anyMatch(m -> m.equals(new RecordingOutput.Estimate(ITEMS_ID, 25_000,
        1 << 20))));
  }

  @Test
  void aStateFromAnInterruptedReadResumesAfterItsKey() throws Exception {
    read(TestConfig.standard().build(), List.of(full(ITEMS_ID)), Map.of());
    StreamState midway = out.checkpoints(ITEMS_ID).get(0).state();
    out.clear();

    read(TestConfig.standard().build(), List.of(full(ITEMS_ID)), Map.of(ITEMS_ID, midway));

    assertEquals(15_000, out.records(ITEMS_ID).size());
    assertEquals(new BigDecimal(10_001), out.records(ITEMS_ID).get(0).data().get("id"));
  }

  @Test
  void aTableWithAnApproximateKeyIsCopiedWithoutKeysInItsStates() throws Exception {
    read(TestConfig.standard().build(), List.of(full(READINGS_ID)), Map.of());
    assertEquals(12_000, out.records(READINGS_ID).size());
    for (Checkpoint state : out.checkpoints(READINGS_ID)) {
      assertNull(codec.decode(state.state().cursorsByShard().get("-")).lastKnownPk(), "no key to resume after");
    }
    assertEquals(Collections.singletonList(null), snapshots.resumedAfter());
  }

  @Test
  void aSavedKeyOnAnApproximateKeyIsNotTrustedAndTheCopyStartsOver() throws Exception {
    TableCursor saved = TableCursor.start("commerce", Shard.UNSHARDED).at("",
        new LastKey(List.of(KeyValue.text("at", 0, "2"))));
    read(TestConfig.standard().build(), List.of(full(READINGS_ID)),
        Map.of(READINGS_ID, new StreamState(Map.of("-", codec.encode(saved)))));
    assertEquals(12_000, out.records(READINGS_ID).size());
    assertEquals(Collections.singletonList(null), snapshots.resumedAfter());
    assertTrue(out.logs(LogLevel.WARN).stream().anyMatch(l -> l.message().contains("copying it again from the start")),
        out.messages().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1e400", "99999999999999999999", "~"})
  void aSavedKeyThatIsNoKeyOfTheTableIsRefusedBeforeAnythingIsRead(String value) {
    TableCursor saved = TableCursor.start("commerce", Shard.UNSHARDED).at("", new LastKey(List.of(
        new KeyValue("id", 0, value.equals("~") ? null : value.getBytes(StandardCharsets.UTF_8)))));
    SourceException e = assertThrows(SourceException.class, () -> read(TestConfig.standard().build(),
        List.of(full(ITEMS_ID)), Map.of(ITEMS_ID, new StreamState(Map.of("-", codec.encode(saved))))));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("The state of stream commerce.items on shard - cannot say where its copy"
        + " stopped: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("Reset the stream to copy it again."), e.getMessage());
    assertTrue(out.records().isEmpty() && snapshots.resumedAfter().isEmpty(), "nothing read");
  }

  @Test
  void aStateOfAnotherDatabaseIsLeftOutWithAWarningAndTheStreamCopiedWhole() throws Exception {
    read(TestConfig.standard().build(), List.of(full(ITEMS_ID)), Map.of());
    StreamState midway = out.checkpoints(ITEMS_ID).get(0).state();
    out.clear();

    read(TestConfig.standard().build(), List.of(full(ITEMS_ID)), Map.of(new StreamId("other_db", "items"), midway));

    assertEquals(25_000, out.records(ITEMS_ID).size(), "the other database's key is not applied here");
    assertTrue(out.logs(LogLevel.WARN).stream().anyMatch(l -> l.message().contains("other_db.items")),
        out.messages().toString());
  }

  @Test
  void aStateWhoseCursorNamesAnotherKeyspaceIsRefused() {
    TableCursor foreign = new TableCursor(Shard.UNSHARDED, "other_db", "", new LastKey(List.of(
        KeyValue.text("id", 0, "10000"))));
    SourceException e = assertThrows(SourceException.class, () -> read(TestConfig.standard().build(),
        List.of(full(ITEMS_ID)), Map.of(ITEMS_ID, new StreamState(Map.of("-", codec.encode(foreign))))));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("stream items") && e.getMessage().contains("keyspace other_db")
        && e.getMessage().endsWith("reset the stream."), e.getMessage());
    assertTrue(out.records().isEmpty());
  }

  @Test
  void aLostConnectionIsRetriedFromTheLastSavedKey() throws Exception {
    snapshots.failAfter(12_000, 1);
    read(TestConfig.standard().build(), List.of(full(ITEMS_ID)), Map.of());
    assertEquals(2, snapshots.resumedAfter().size());
    assertEquals("10000", new String(snapshots.resumedAfter().get(1).values().get(0).value()));
    assertEquals(27_000, out.records(ITEMS_ID).size(), "rows after the last state come again");
    assertNull(out.recordCountMismatch());
    assertEquals(StreamStatus.COMPLETE, out.statuses(ITEMS_ID).get(2));
  }

  @Test
  void retriesRunOutIntoAnIncompleteStreamAndATransientError() {
    snapshots.failAfter(12_000, 10);
    SourceException e = assertThrows(SourceException.class,
        () -> read(TestConfig.standard().maxRetries(2).build(), List.of(full(ITEMS_ID)), Map.of()));
    assertEquals(FailureType.TRANSIENT_ERROR, e.failureType());
    assertEquals(StreamStatus.INCOMPLETE, out.statuses(ITEMS_ID).get(out.statuses(ITEMS_ID).size() - 1));
    assertNotNull(out.lastStates().get(ITEMS_ID), "the last good state is out");
  }

  @Test
  void columnsTheCatalogDoesNotListAreNamedOnceAndNotRead() throws Exception {
    read(TestConfig.standard().build(), List.of(new ConfiguredStream(ITEMS_ID, SyncMode.FULL_REFRESH, Set.of("id")),
        new ConfiguredStream(LOGS_ID, SyncMode.FULL_REFRESH, Set.of("line"))), Map.of());
    List<String> notes = out.logs(LogLevel.INFO).stream().map(RecordingOutput.Log::message)
        .filter(m -> m.startsWith("Columns not in the configured catalog")).toList();
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).contains("commerce.items (label)") && !notes.get(0).contains("logs"), notes.get(0));
    assertEquals(Set.of("id"), out.records(ITEMS_ID).get(0).data().keySet());
  }

  @Test
  void onlyTheSelectedColumnsAreReadAndWritten() throws Exception {
    read(TestConfig.standard().build(), List.of(new ConfiguredStream(ITEMS_ID, SyncMode.FULL_REFRESH, Set.of("id"))),
        Map.of());
    assertEquals(Set.of("id"), out.records(ITEMS_ID).get(0).data().keySet());
    assertEquals(List.of("id"), snapshots.scannedColumns().get(0), "the deselected label is never read");
  }

  @Test
  void theKeyIsReadEvenWhenDeselectedSoThatTheReadCanResume() throws Exception {
    read(TestConfig.standard().build(),
        List.of(new ConfiguredStream(ITEMS_ID, SyncMode.FULL_REFRESH, Set.of("label"))), Map.of());
    assertEquals(Set.of("label"), out.records(ITEMS_ID).get(0).data().keySet());
    assertEquals(List.of("id", "label"), snapshots.scannedColumns().get(0));
    TableCursor mid = codec.decode(out.checkpoints(ITEMS_ID).get(0).state().cursorsByShard().get("-"));
    assertEquals("10000", new String(mid.lastKnownPk().values().get(0).value()));
  }

  @Test
  void anIncrementalStreamUnderStandardIsReadInFullWithAWarning() throws Exception {
    read(TestConfig.standard().build(), List.of(new ConfiguredStream(ITEMS_ID, SyncMode.INCREMENTAL, Set.of()),
        full(LOGS_ID)), Map.of());
    assertEquals(25_000, out.records(ITEMS_ID).size());
    List<String> warnings = out.logs(LogLevel.WARN).stream().map(RecordingOutput.Log::message).toList();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("commerce.items is configured as incremental and read as a full refresh"),
        warnings.get(0));
    assertEquals(StreamStatus.COMPLETE, out.statuses(ITEMS_ID).get(out.statuses(ITEMS_ID).size() - 1));
  }

  @Test
  void aStreamWhoseTableIsGoneIsIncompleteWhileTheOthersAreReadAndTheSyncFailsAtItsEnd() {
    StreamId dropped = new StreamId("commerce", "dropped");
    SourceException e = assertThrows(SourceException.class, () -> read(TestConfig.standard().build(),
        List.of(full(dropped), full(LOGS_ID)), Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("There is no table dropped in commerce; refresh the source schema"),
        e.getMessage());
    assertEquals(3, out.records(LOGS_ID).size(), "the other stream is read");
    assertEquals(List.of(StreamStatus.STARTED, StreamStatus.RUNNING, StreamStatus.COMPLETE), out.statuses(LOGS_ID));
    assertEquals(List.of(StreamStatus.INCOMPLETE), out.statuses(dropped));
    assertTrue(out.logs(LogLevel.ERROR).get(0).message().contains("no table dropped"), "said before reading");
  }

  @Test
  void aFailedSyncEndsEveryConfiguredStreamIncludingThoseNeverStarted() {
    snapshots.failAfter(12_000, 10);
    assertThrows(SourceException.class, () -> read(TestConfig.standard().maxRetries(0).build(),
        List.of(full(ITEMS_ID), full(LOGS_ID)), Map.of()));
    assertEquals(StreamStatus.INCOMPLETE, out.statuses(ITEMS_ID).get(out.statuses(ITEMS_ID).size() - 1));
    assertEquals(List.of(StreamStatus.INCOMPLETE), out.statuses(LOGS_ID), "never started, still ended");
  }

  @Test
  void aCatalogRefusedBeforeReadingStillEndsEveryStream() {
    StreamId elsewhere = new StreamId("another_keyspace", "items");
    assertThrows(SourceException.class, () -> read(TestConfig.standard().build(),
        List.of(full(LOGS_ID), full(elsewhere)), Map.of()));
    assertEquals(List.of(StreamStatus.INCOMPLETE), out.statuses(LOGS_ID));
    assertEquals(List.of(StreamStatus.INCOMPLETE), out.statuses(elsewhere));
    assertTrue(out.records().isEmpty());
  }
}
