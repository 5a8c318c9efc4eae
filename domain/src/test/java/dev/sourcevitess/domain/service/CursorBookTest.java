package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CursorBookTest {
  private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final Shard A = new Shard("-80");
  private static final Shard B = new Shard("80-");
  private static final StreamId X = new StreamId("ks", "x");
  private static final StreamId Y = new StreamId("ks", "y");

  private static String at(int n) {
    return "MySQL56/" + U + ":1-" + n;
  }

  @Test
  void eachShardStartsAtTheEarliestPositionAndLaterStreamsTurnLiveWhereTheirsIsReached() {
    CursorBook book = new CursorBook("ks");
    book.add(X, A, at(5), CursorBook.Source.STATE);
    book.add(Y, A, at(8), CursorBook.Source.STARTING_GTIDS);
    book.add(Y, B, at(2), CursorBook.Source.STATE);

    assertEquals(Map.of(A, at(5), B, at(2)), book.start());
    assertTrue(book.writes(X, A));
    assertFalse(book.writes(Y, A), "transactions 6 to 8 are in y's state");
    assertFalse(book.writes(X, B), "x does not read B");

    assertNull(book.advance(Map.of(A, at(7), B, at(2))));
    assertFalse(book.writes(Y, A));
    assertEquals(at(8), book.cursors(Y).get(A).position(), "a stream keeps its position until it is reached");
    book.advance(Map.of(A, at(8), B, at(2)));
    assertTrue(book.writes(Y, A));
    book.advance(Map.of(A, at(9), B, at(3)));
    assertEquals(at(9), book.cursors(X).get(A).position());
    assertEquals(at(9), book.cursors(Y).get(A).position());
    assertEquals(at(3), book.cursors(Y).get(B).position(), "positions move past other tables' transactions");

    assertEquals(Map.of(A, at(9), B, at(3)), book.start(), "a retry starts where the streams stand");
    assertTrue(book.writes(Y, A));
  }

  @Test
  void positionsFromTwoHistoriesAreAConfigErrorNamingTheStreams() {
    CursorBook book = new CursorBook("ks");
    book.add(X, A, at(5), CursorBook.Source.STATE);
    book.add(Y, A, "MySQL56/4e11fa47-71ca-11e1-9e33-c80aa9429562:1-5", CursorBook.Source.STARTING_GTIDS);
    SourceException e = assertThrows(SourceException.class, book::start);
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("ks.x (position from its saved state)")
        && e.getMessage().contains("ks.y (position from starting_gtids)"), e.getMessage());
  }

  @Test
  void aReshardMovesTheStreamsOfTheOldShardsToTheNewOnesByVgtidOrByJournal() {
    CursorBook book = new CursorBook("ks");
    book.add(X, A, at(5), CursorBook.Source.STATE);
    book.add(X, B, at(5), CursorBook.Source.STATE);
    book.add(Y, B, at(5), CursorBook.Source.STATE);
    book.start();
    Shard merged = new Shard("-");
    assertNull(book.journal(List.of(A, B), Map.of(merged, at(1))), "one source of two");
    CursorBook.Reshard reshard = book.journal(List.of(A, B), Map.of(merged, at(1)));
    assertEquals(Set.of(A, B), reshard.replaced());
    assertEquals(Map.of(merged, at(1)), reshard.joined());
    assertEquals(Set.of(merged), book.cursors(X).keySet());
    assertEquals(Set.of(merged), book.cursors(Y).keySet());
    assertTrue(book.writes(Y, merged));
    assertNull(book.advance(Map.of(A, at(6), B, at(6))), "a VGTID still listing the old shards changes nothing");
    assertEquals(Map.of(merged, at(1)), book.positions());
  }

  @Test
  void aJournalSeenBeforeARetryIsCountedAgainAfterIt() {
    CursorBook book = new CursorBook("ks");
    book.add(X, A, at(5), CursorBook.Source.STATE);
    book.add(X, B, at(5), CursorBook.Source.STATE);
    book.start();
    Shard merged = new Shard("-");
    assertNull(book.journal(List.of(A, B), Map.of(merged, at(1))), "A reached the journal");
    book.start();
    assertNull(book.journal(List.of(A, B), Map.of(merged, at(1))), "A again, after the retry: B has not");
    assertEquals(Set.of(A, B), book.positions().keySet());
  }

  @Test
  void aJournalLeadingToShardsAlreadyInTheStreamIsAConfigErrorNamingTheStreamsTwoReshardsBehind() {
    Shard c = new Shard("-40");
    Shard d = new Shard("40-80");
    // x stands on -80, before its split into -40 and 40-80; y on -40, after it
    CursorBook book = new CursorBook("ks");
    book.add(X, A, at(5), CursorBook.Source.STATE);
    book.add(Y, c, at(3), CursorBook.Source.STATE);
    book.start();

    SourceException e = assertThrows(SourceException.class, () -> book.journal(List.of(A), Map.of(c, at(1), d, at(1))));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("The saved positions of shard -80: ks.x (position from its saved state)"
        + " predate more than one reshard of ks: shards [-80] were resharded into [-40, 40-80], and [-40] were"
        + " resharded again since."), e.getMessage());
  }

  @Test
  void aJournalLeadingToShardsTheStreamAlreadyLeftIsAConfigErrorToo() {
    Shard c = new Shard("-40");
    Shard d = new Shard("40-80");
    Shard merged = new Shard("-80x");
    CursorBook book = new CursorBook("ks");
    book.add(X, A, at(5), CursorBook.Source.STATE);
    book.add(Y, c, at(3), CursorBook.Source.STATE);
    book.add(Y, d, at(3), CursorBook.Source.STATE);
    book.start();
    // -40 and 40-80 merge back first; then the journal of -80 leads to them
    book.journal(List.of(c, d), Map.of(merged, at(1)));
    assertNotNull(book.journal(List.of(c, d), Map.of(merged, at(1))));

    SourceException e = assertThrows(SourceException.class, () -> book.journal(List.of(A), Map.of(c, at(1), d, at(1))));
    assertTrue(e.getMessage().contains("ks.x") && e.getMessage().contains("[-40, 40-80] were resharded again since"),
        e.getMessage());
  }
}
