package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.port.ChangeStreamException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a VStream waits for: each shard still short of its stop, since when nothing moved it on, and
 * where it stands. VTGate keeps retrying a shard whose tablet is down or restarting, and holds back
 * one whose tablet throttles it, without saying which (it drops the tablets' heartbeats, and their
 * throttled flag with them); the stream goes quiet meanwhile. The log says so every
 * {@link #SAY_EVERY} while it lasts, and when none of those shards has moved for longer than
 * {@code timeout_seconds} the read ends ({@link ChangeStreamException.Reason#STALLED}); the next
 * sync goes on from its last STATE.
 */
final class ShardWaits {
  static final Duration SAY_EVERY = Duration.ofSeconds(30);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final ReadSession session;
  private final String keyspace;
  private final Duration limit;
  /** When each shard last moved (a row, a new position, its copy done), or was first waited for: for the log. */
  private final Map<Shard, Instant> stillSince = new HashMap<>();
  /** Shards that moved since the last check: rows are many, so the clock is read at the check. */
  private final Set<Shard> moved = new HashSet<>();
  /** Each shard's last position (and copy key), to tell a VGTID that moves it from one that does not. */
  private final Map<Shard, ChangeEvent.ShardPosition> seen = new HashMap<>();
  private boolean everyShardMoved;
  private Instant lastSaid;
  private Instant lastChecked;
  /** When any shard of the stream last moved. */
  private Instant lastMove;

  ShardWaits(ReadSession session, String keyspace, int timeoutSeconds) {
    this.session = session;
    this.keyspace = keyspace;
    this.limit = Duration.ofSeconds(timeoutSeconds);
  }

  /** A row of {@code shard}, or its position moved; null when the stream does not say (one shard). */
  void moved(Shard shard) {
    if (shard == null) {
      everyShardMoved = true;
    } else {
      moved.add(shard);
    }
  }

  /** A VGTID: the shards whose position (or copy's last key) changed have moved. */
  void at(List<ChangeEvent.ShardPosition> positions) {
    for (ChangeEvent.ShardPosition p : positions) {
      if (!p.equals(seen.put(p.shard(), p))) {
        moved.add(p.shard());
      }
    }
  }

  /**
   * Looks at the shards still short of their stops: says in the log which have been still for a
   * while, and ends the read when one has been still for too long.
   *
   * @param now the time of the check
   * @param shardsBehind each such shard, with where it stands
   * @param stops the stop of each shard the sync peeked (null for none)
   * @throws ChangeStreamException STALLED, naming the shards still for longer than {@code timeout_seconds}
   */
  void check(Instant now, Supplier<Map<Shard, String>> shardsBehind, Function<Shard, String> stops) {
    // called at every VGTID: once a second is enough to tell
    if (lastChecked != null && now.isBefore(lastChecked.plus(CHECK_EVERY))) {
      return;
    }
    lastChecked = now;
    Map<Shard, String> behind = shardsBehind.get();
    if (everyShardMoved) {
      behind.keySet().forEach(moved::add);
      everyShardMoved = false;
    }
    for (Shard shard : moved) {
      stillSince.put(shard, now);
      lastMove = now;
    }
    moved.clear();
    if (lastMove == null) {
      lastMove = now;
    }
    stillSince.keySet().retainAll(behind.keySet());
    Map<Shard, Duration> still = new TreeMap<>();
    for (Shard shard : behind.keySet()) {
      Duration quiet = Duration.between(stillSince.computeIfAbsent(shard, s -> now), now);
      if (quiet.compareTo(SAY_EVERY) >= 0) {
        still.put(shard, quiet);
      }
    }
    // only when no shard moves: VTGate holds back a shard ahead of the others (minimize_skew)
    // while the one behind catches up, however long that takes
    if (!behind.isEmpty() && Duration.between(lastMove, now).compareTo(limit) > 0) {
      throw new ChangeStreamException(ChangeStreamException.Reason.STALLED, "No change came from "
          + describe(still, behind, stops) + " for longer than timeout_seconds (" + limit.toSeconds() + " s), although"
          + " they had changes to send. The sync stops here, after its last STATE, and the next one goes on"
          + " from there. Check the tablets of those shards (down, restarting, a replica that lags, throttled),"
          + " or raise timeout_seconds.");
    }
    if (!still.isEmpty() && (lastSaid == null || !now.isBefore(lastSaid.plus(SAY_EVERY)))) {
      lastSaid = now;
      session.log(LogLevel.INFO, "Waiting for " + describe(still, behind, stops) + ". VTGate goes on trying while"
          + " a tablet is down or restarting; the sync gives up after timeout_seconds (" + limit.toSeconds()
          + " s) without a change.");
    }
  }

  private String describe(Map<Shard, Duration> still, Map<Shard, String> behind, Function<Shard, String> stops) {
    StringJoiner shards = new StringJoiner("; ");
    still.forEach((shard, quiet) -> {
      String at = behind.get(shard);
      String stop = stops.apply(shard);
      shards.add("shard " + shard + " of " + keyspace + " (nothing new since "
          + stillSince.get(shard).truncatedTo(ChronoUnit.SECONDS) + ", " + quiet.toSeconds() + " s; at "
          + (at == null || at.isEmpty() ? "the start of its copy" : at)
          + (stop == null ? "" : ", to reach " + stop) + ")");
    });
    return shards.toString();
  }
}
