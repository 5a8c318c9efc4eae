package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.Shard;
import java.util.HashMap;
import java.util.Map;

/**
 * When a sync stops: when every shard of its stream has a position that contains the shard's stop
 * position, the one peeked at the start of the sync, compared by what they contain (MySQL56 or
 * MariaDB, through {@link GtidPosition}), never as strings. Every stream of a
 * sync stops at the same peeked positions: the destination shows all tables as of one point of
 * each shard's history. Heartbeats never stop a sync: they carry no position.
 */
final class StopRule {
  private final Map<Shard, Stop> stops = new HashMap<>();

  StopRule(Map<Shard, String> stopPositions) {
    stopPositions.forEach((shard, stop) -> stops.put(shard, new Stop(stop)));
  }

  /** Where a saved position stands against a shard's stop. */
  enum Standing {
    /** Short of the stop: there is something to read. */
    BEHIND,
    /** The same set: nothing to read. */
    AT,
    /** Holds transactions the shard had not executed when peeked: only VTGate can judge it. */
    AHEAD
  }

  /** The stop of {@code shard}, or null when the peek did not list it (resharded away). */
  String stopOf(Shard shard) {
    Stop stop = stops.get(shard);
    return stop == null ? null : stop.text;
  }

  /** True when {@code position} contains the stop of {@code shard}; false when it has none. */
  boolean reached(Shard shard, String position) {
    Stop stop = stops.get(shard);
    return stop != null && stop.reachedBy(position);
  }

  /** True when every shard listed has reached its stop. */
  boolean reachedEverywhere(Map<Shard, String> positions) {
    for (var entry : positions.entrySet()) {
      if (!reached(entry.getKey(), entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * A shard that joined the stream during the sync (VTGate followed a reshard after the peek): it
   * was not peeked, and its first position already holds everything the peek saw of its sources.
   */
  void joined(Shard shard, String position) {
    stops.putIfAbsent(shard, new Stop(position));
  }

  /**
   * Where {@code position} stands against {@code stop}: positions that are neither MySQL56 nor
   * MariaDB compare only by their text, and a differing one is read (VTGate judges it).
   *
   * @throws IllegalArgumentException when they are positions of different flavors
   */
  static Standing standing(String position, String stop) {
    if (position.equals(stop)) {
      return Standing.AT;
    }
    GtidPosition at = parseOrNull(position);
    GtidPosition until = at == null ? null : parseOrNull(stop);
    if (until == null) {
      return Standing.BEHIND;
    }
    if (!until.contains(at)) {
      return Standing.AHEAD;
    }
    return at.contains(until) ? Standing.AT : Standing.BEHIND;
  }

  /**
   * True when {@code position} contains {@code stop}, compared as positions of their flavor; ""
   * contains nothing, and positions of no known flavor only themselves.
   *
   * @throws IllegalArgumentException when they are positions of different flavors
   */
  static boolean contains(String position, String stop) {
    return contains(position, stop, parseOrNull(stop));
  }

  private static boolean contains(String position, String stop, GtidPosition parsedStop) {
    if (position.isEmpty()) {
      return false;
    }
    if (position.equals(stop)) {
      // the common case of a shard with nothing new: no parsing (a set contains itself)
      return true;
    }
    GtidPosition at = parsedStop == null ? null : parseOrNull(position);
    // other flavors (file positions) can only be compared for equality
    return at != null && at.contains(parsedStop);
  }

  /** The position parsed, or null when it is neither a MySQL56 nor a MariaDB position. */
  static GtidPosition parseOrNull(String position) {
    try {
      return GtidPosition.parse(position);
    } catch (IllegalArgumentException unknownFlavor) {
      return null;
    }
  }

  /**
   * A shard's stop position, parsed once, with the answer for the last position compared with it:
   * this runs at every VGTID, and VGTIDs of a quiet shard repeat the same position.
   */
  private static final class Stop {
    private final String text;
    /** Null when the stop is neither a MySQL56 nor a MariaDB position. */
    private final GtidPosition parsed;
    private String lastPosition;
    private boolean lastReached;

    Stop(String text) {
      this.text = text;
      this.parsed = parseOrNull(text);
    }

    boolean reachedBy(String position) {
      if (!position.equals(lastPosition)) {
        lastReached = contains(position, text, parsed);
        lastPosition = position;
      }
      return lastReached;
    }
  }
}
