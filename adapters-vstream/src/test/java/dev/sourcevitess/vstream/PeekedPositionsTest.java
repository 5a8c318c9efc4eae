package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.port.ChangeStreamException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PeekedPositions}: a {@code current} stream's answer, and what a peek cut short says. */
class PeekedPositionsTest {
  private static final String LOW = "MySQL56/e8b2c1de-0000-11ee-9000-000000000100:1-57";
  private final PeekedPositions positions = new PeekedPositions("commerce");
  private final ChangeStreamException late = new ChangeStreamException(
      ChangeStreamException.Reason.DEADLINE_EXCEEDED, "deadline exceeded after 45s");

  private boolean vgtid(String low, String high) {
    return positions.onEvent(new ChangeEvent.Vgtid(List.of(
        new ChangeEvent.ShardPosition("commerce", new Shard("-80"), low, null),
        new ChangeEvent.ShardPosition("commerce", new Shard("80-"), high, null))));
  }

  @Test
  void readsUntilEveryShardHasAPosition() {
    assertTrue(vgtid(LOW, "current"), "80- has none yet: read on");
    assertFalse(vgtid(LOW, "MySQL56/e8b2c1de-0000-11ee-9000-000000000200:1-9"));
    assertEquals(Map.of(new Shard("-80"), LOW, new Shard("80-"), "MySQL56/e8b2c1de-0000-11ee-9000-000000000200:1-9"),
        positions.positions());
  }

  /** A tablet that does not answer (down, frozen) keeps its shard at {@code current}: the failure names it. */
  @Test
  void aPeekCutShortNamesTheShardsWithoutAPosition() {
    vgtid(LOW, "current");

    ChangeStreamException e = positions.late(late, 45);

    assertEquals(ChangeStreamException.Reason.STALLED, e.reason());
    assertTrue(e.getMessage().startsWith("VTGate had no position of shard [80-] of commerce within timeout_seconds"
        + " (45 s)"), e.getMessage());
    assertSame(late, e.getCause());
  }

  @Test
  void aPeekCutShortBeforeAnyPositionStaysADeadline() {
    assertSame(late, positions.late(late, 45));
  }
}
