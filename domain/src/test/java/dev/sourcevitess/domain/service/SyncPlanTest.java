package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.TableCursor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncPlanTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final Shard A = new Shard("-80");
  private static final Shard B = new Shard("80-");
  private static final StreamId X = new StreamId("commerce", "x");
  private static final StreamId Y = new StreamId("commerce", "y");
  private static final List<ConfiguredStream> CATALOG = List.of(
      new ConfiguredStream(X, SyncMode.INCREMENTAL, Set.of()), new ConfiguredStream(Y, SyncMode.INCREMENTAL, Set.of()));
  private static final Map<Shard, String> STOPS = Map.of(A, at(9), B, at(4));

  private static String at(int n) {
    return "MySQL56/" + U + ":1-" + n;
  }

  private static Map<Shard, TableCursor> cursors(int onA, int onB) {
    return Map.of(A, new TableCursor(A, "commerce", at(onA), null), B, new TableCursor(B, "commerce", at(onB), null));
  }

  private static SyncPlan plan(Map<Shard, TableCursor> x, Map<Shard, TableCursor> y) {
    return SyncPlan.of(TestConfig.vstream().build(), CATALOG, Map.of(X, x, Y, y), Set.of(A, B), STOPS, Map.of());
  }

  @Test
  void aSyncWithNothingNewAnywhereOpensNoKeyspaceStream() {
    SyncPlan plan = plan(cursors(9, 4), cursors(9, 4));

    assertTrue(plan.keyspaceStreams().isEmpty());
    assertTrue(plan.busy.isEmpty());
  }

  @Test
  void onceTheKeyspaceStreamOpensEveryShardAnyStreamStandsOnIsInItAtItsEarliestPosition() {
    // x is behind on -80 only; y stands at the stop everywhere, and nobody is behind on 80-
    SyncPlan plan = plan(cursors(5, 4), cursors(9, 4));

    assertEquals(List.of(plan.keyspaceStream), plan.keyspaceStreams());
    assertEquals(Set.of(X, Y), plan.keyspaceStream.streams(), "a reshard while reading moves y's cursors too");
    assertEquals(Map.of(A, at(5), B, at(4)), plan.keyspaceStream.start(),
        "80- is read too, so VTGate can follow a journal naming it");
    assertFalse(plan.keyspaceStream.writes(Y, A), "transactions 6 to 9 of -80 are in y's state");
    assertTrue(plan.busy.contains(X));
    assertFalse(plan.busy.contains(Y), "y has nothing to read up to the stops");
  }
}
