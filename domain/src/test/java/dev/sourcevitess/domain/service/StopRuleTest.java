package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.Shard;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StopRuleTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String V = "4e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final Shard A = new Shard("-80");
  private static final Shard B = new Shard("80-");

  private static String at(String gtids) {
    return "MySQL56/" + gtids;
  }

  @Test
  void aSavedPositionIsBehindAtOrAheadOfItsStopAsASet() {
    String stop = at(U + ":1-10," + V + ":1-3");
    assertEquals(StopRule.Standing.AT, StopRule.standing(at(V + ":1-3, " + U + ":1-5:6-10"), stop));
    assertEquals(StopRule.Standing.BEHIND, StopRule.standing(at(U + ":1-9," + V + ":1-3"), stop));
    assertEquals(StopRule.Standing.AHEAD, StopRule.standing(at(U + ":1-11," + V + ":1-3"), stop),
        "transactions the shard had not executed");
    assertEquals(StopRule.Standing.AHEAD, StopRule.standing(at(U + ":1-5," + V + ":1-4"), stop),
        "neither contains the other: still not executed");
    assertEquals(StopRule.Standing.BEHIND, StopRule.standing("MariaDB/0-1-5", "MariaDB/0-1-7"),
        "other flavors are read, and VTGate judges them");
  }

  @Test
  void theSyncStopsWhenEveryShardContainsItsStop() {
    StopRule stops = new StopRule(Map.of(A, at(U + ":1-10"), B, at(V + ":1-3")));
    assertFalse(stops.reachedEverywhere(Map.of(A, at(U + ":1-10"), B, at(V + ":1-2"))));
    assertTrue(stops.reachedEverywhere(Map.of(A, at(U + ":1-12"), B, at(V + ":1-3"))));
    assertFalse(stops.reachedEverywhere(Map.of(A, at(U + ":1-12"), new Shard("-"), at(V + ":1-9"))),
        "a shard the peek did not list has no stop");
  }

  @Test
  void aShardJoiningAfterThePeekStopsWhereItJoined() {
    StopRule stops = new StopRule(Map.of(A, at(U + ":1-10")));
    Shard joined = new Shard("-40");
    stops.joined(joined, at(V + ":1-4"));
    stops.joined(A, at(U + ":1-1"));
    assertTrue(stops.reachedEverywhere(Map.of(joined, at(V + ":1-4"), A, at(U + ":1-10"))));
    assertFalse(stops.reached(A, at(U + ":1-9")), "a peeked stop is kept");
  }
}
