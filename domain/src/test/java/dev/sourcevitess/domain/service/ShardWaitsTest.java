package dev.sourcevitess.domain.service;

import static dev.sourcevitess.domain.service.VStreamFixture.CUSTOMER_ID;
import static dev.sourcevitess.domain.service.VStreamFixture.HIGH;
import static dev.sourcevitess.domain.service.VStreamFixture.LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.DedupDestination;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sync says what it waits for while a shard sends nothing (its tablet down, restarting or
 * throttled), and gives up when nothing has moved for longer than {@code timeout_seconds}. The
 * fixture's clock moves 61 s a reading.
 */
class ShardWaitsTest {
  private final VStreamFixture f = new VStreamFixture(LOW, HIGH);
  private final DedupDestination destination = new DedupDestination(List.of("id"));

  private Map<StreamId, StreamState> firstSync() throws InterruptedException {
    for (long id : new long[] {1, 2, 101, 102}) {
      f.insert(id, "customer " + id);
    }
    f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, Map.of());
    destination.apply(f.out.records(), CUSTOMER_ID);
    Map<StreamId, StreamState> saved = f.out.lastStates();
    f.out.clear();
    f.insert(3, "on the shard that stays up");
    f.insert(103, "on the shard whose tablet goes down");
    return saved;
  }

  private SourceException stalledSync(Map<StreamId, StreamState> saved) {
    SourceException e = assertThrows(SourceException.class,
        () -> f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, saved));
    assertEquals(FailureType.TRANSIENT_ERROR, e.failureType(), e.getMessage());
    assertTrue(e.getMessage().startsWith("No change came from shard 80- of commerce (nothing new since "),
        e.getMessage());
    assertTrue(e.getMessage().contains("for longer than timeout_seconds (300 s)"), e.getMessage());
    assertFalse(e.getMessage().contains("shard -80"), "the shard that reached its stop is not waited for");
    return e;
  }

  private List<String> waitingLogs() {
    return f.out.logs(LogLevel.INFO).stream().map(RecordingOutput.Log::message)
        .filter(m -> m.startsWith("Waiting for ")).toList();
  }

  @Test
  void aShardWhoseTabletIsDownIsNamedEveryHalfMinuteThenTheSyncGivesUpAndTheNextGoesOn() throws Exception {
    Map<StreamId, StreamState> saved = firstSync();
    f.vtgate.down(HIGH, true, new ChangeEvent.Heartbeat());

    stalledSync(saved);

    List<String> waiting = waitingLogs();
    assertFalse(waiting.isEmpty(), f.out.logs(LogLevel.INFO).toString());
    assertTrue(waiting.get(0).startsWith("Waiting for shard 80- of commerce (nothing new since 2025-01-01T"),
        waiting.get(0));
    assertTrue(waiting.get(0).contains("; at " + TestPositions.upTo(saved, HIGH) + ", to reach "
        + f.vtgate.position(HIGH) + ")"), waiting.get(0));
    // what the shard that stayed up sent is written, and its STATE kept
    destination.apply(f.out.records(), CUSTOMER_ID);
    Map<StreamId, StreamState> afterStall = f.out.lastStates();
    assertEquals(f.vtgate.position(LOW), TestPositions.upTo(afterStall, LOW));
    assertEquals(TestPositions.upTo(saved, HIGH), TestPositions.upTo(afterStall, HIGH));

    f.vtgate.down(HIGH, false, null);
    f.out.clear();
    f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, afterStall);
    destination.apply(f.out.records(), CUSTOMER_ID);
    assertEquals(6, destination.rows().size());
    assertEquals("on the shard whose tablet goes down",
        destination.rows().get(List.<Object>of(new BigDecimal(103))).get("name"));
  }

  @Test
  void silenceWithoutHeartbeatsIsWaitedForTheSameWay() throws Exception {
    Map<StreamId, StreamState> saved = firstSync();
    f.vtgate.down(HIGH, true, null);

    stalledSync(saved);

    assertFalse(waitingLogs().isEmpty());
  }

  /**
   * VTGate holds back a shard ahead of the others ({@code minimize_skew}) while one behind catches
   * up: as long as some shard moves, the sync waits, however long.
   */
  @Test
  void aShardHeldBackWhileAnotherMovesNeverEndsTheSync() throws Exception {
    Map<StreamId, StreamState> saved = firstSync();
    f.vtgate.down(HIGH, true, null);
    f.vtgate.afterEvent((shard, events) -> {
      if (events < 60) {
        f.update(3, "moving " + events);
      } else {
        f.vtgate.down(HIGH, false, null);
      }
    });

    f.read(TestConfig.vstream().build(), SyncMode.INCREMENTAL, saved);

    destination.apply(f.out.records(), CUSTOMER_ID);
    assertEquals("on the shard whose tablet goes down",
        destination.rows().get(List.<Object>of(new BigDecimal(103))).get("name"));
    assertFalse(waitingLogs().isEmpty(), "the wait is said all the same");
  }

  /** Where a saved state has a stream on a shard. */
  private static final class TestPositions {
    static String upTo(Map<StreamId, StreamState> state, dev.sourcevitess.domain.model.Shard shard) {
      return new TextCursorCodec().decode(state.get(CUSTOMER_ID).cursorsByShard().get(shard.name())).position();
    }
  }
}
