package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link TableCursor}: where one stream stands on one shard, and whether its copy is unfinished. */
class TableCursorTest {
  static final Shard SHARD = new Shard("-80");
  static final String POSITION = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-29516";
  static final LastKey KEY = new LastKey(List.of(KeyValue.text("id", 0, "42")));

  @Test
  void aFreshCursorCopies() {
    TableCursor start = TableCursor.start("ks", SHARD);
    assertEquals("", start.position());
    assertNull(start.lastKnownPk());
    assertEquals(Optional.empty(), start.lastKey());
    assertEquals(SHARD, start.shard());
    assertEquals("ks", start.keyspace());
    assertTrue(start.copying());
  }

  @Test
  void emptyPositionCopies() {
    assertTrue(new TableCursor(SHARD, "ks", "", null).copying());
    assertTrue(new TableCursor(SHARD, "ks", "", KEY).copying());
  }

  @Test
  void positionWithLastKeyIsAnUnfinishedCopy() {
    TableCursor c = new TableCursor(SHARD, "ks", POSITION, KEY);
    assertTrue(c.copying());
    assertEquals(Optional.of(KEY), c.lastKey());
  }

  @Test
  void positionAloneStreams() {
    TableCursor c = new TableCursor(SHARD, "ks", POSITION, null);
    assertFalse(c.copying());
    assertEquals(Optional.empty(), c.lastKey());
  }

  @Test
  void atMovesOnlyThePositionAndKey() {
    TableCursor start = TableCursor.start("ks", SHARD);
    TableCursor mid = start.at(POSITION, KEY);
    assertEquals(new TableCursor(SHARD, "ks", POSITION, KEY), mid);
    assertTrue(mid.copying());
    TableCursor done = mid.at(POSITION, null);
    assertFalse(done.copying());
    assertEquals(SHARD, done.shard());
    assertEquals("ks", done.keyspace());
    assertTrue(start.copying(), "the original is unchanged");
    assertEquals("", start.position());
  }

  @Test
  void cursorsAreValues() {
    LastKey sameKey = new LastKey(List.of(KeyValue.text("id", 0, "42")));
    assertEquals(new TableCursor(SHARD, "ks", POSITION, KEY), new TableCursor(new Shard("-80"), "ks", POSITION, sameKey));
    assertEquals(new TableCursor(SHARD, "ks", POSITION, KEY).hashCode(),
        new TableCursor(new Shard("-80"), "ks", POSITION, sameKey).hashCode());
    assertNotEquals(new TableCursor(SHARD, "ks", POSITION, KEY), new TableCursor(SHARD, "ks", POSITION, null));
    assertNotEquals(new TableCursor(SHARD, "ks", POSITION, null), new TableCursor(new Shard("80-"), "ks", POSITION, null));
  }

  @Test
  void shardKeyspaceAndPositionAreRequired() {
    assertThrows(NullPointerException.class, () -> new TableCursor(null, "ks", "", null));
    assertThrows(NullPointerException.class, () -> new TableCursor(SHARD, null, "", null));
    assertThrows(NullPointerException.class, () -> new TableCursor(SHARD, "ks", null, null));
  }

  @Test
  void aCopyKeepsWhereItBeganUntilItIsDone() {
    String began = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100";
    TableCursor copying = TableCursor.start("ks", SHARD).replayingFrom(began);
    assertEquals(began, copying.at(POSITION, KEY).replayFrom(), "kept while the copy goes on");
    assertNull(copying.at(POSITION, KEY).at(POSITION, null).replayFrom(), "dropped once it is done");
    assertThrows(IllegalArgumentException.class, () -> new TableCursor(SHARD, "ks", POSITION, null, began),
        "a cursor past its copy has nothing to replay");
    assertThrows(IllegalArgumentException.class, () -> new TableCursor(SHARD, "ks", "", null, ""));
  }
}
