package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.GtidPosition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What a reader knows of its own progress, and the words for it in the log: rows read, for how
 * long, how old the latest change read is, how far a shard is from where the sync stops.
 *
 * @param running since the reader began
 * @param rows rows VTGate sent for the reader's tables
 * @param lastCommitted the commit time of the latest transaction read; null before any
 * @param now the time of this reading
 */
record ReadProgress(Duration running, long rows, Instant lastCommitted, Instant now) {
  /** {@code 1,234 rows read in 2 min 5 s}. */
  String rowsRead() {
    return String.format(Locale.ROOT, "%,d rows read in %s", rows, spoken(running));
  }

  /** {@code ; the latest change read was committed at ... (3 min 2 s ago)}, or nothing. */
  String latestChange() {
    return lastCommitted == null ? "" : "; the latest change read was committed at "
        + lastCommitted.truncatedTo(ChronoUnit.SECONDS) + " (" + spoken(Duration.between(lastCommitted, now)) + " ago)";
  }

  /** {@code 1 h 2 min}, {@code 2 min 5 s}, {@code 40 s}: what a person reads in a log. */
  static String spoken(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    if (seconds >= 3600) {
      return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
    return seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
  }

  /**
   * How far {@code position} is from {@code stop}: {@code 1,234 transactions short of where this
   * sync stops}, or only that it is short where the positions cannot tell how much.
   */
  static String shortOf(String position, String stop) {
    String words = " short of where this sync stops";
    if (position == null || position.isEmpty() || stop == null) {
      return "still" + words;
    }
    try {
      return GtidPosition.parse(stop).transactionsAfter(GtidPosition.parse(position))
          .map(n -> String.format(Locale.ROOT, "%,d transaction%s", n, n == 1 ? "" : "s") + words)
          .orElse("still" + words);
    } catch (IllegalArgumentException unreadable) {
      return "still" + words;
    }
  }
}
