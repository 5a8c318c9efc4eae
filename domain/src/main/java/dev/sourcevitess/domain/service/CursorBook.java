package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.TableCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where each stream of a keyspace stream stands on each shard. The VStream starts each shard at the
 * earliest of its streams' positions; a stream whose own position is further on is not yet
 * <em>live</em> there: the events its position already covers are not written again. Once the
 * shard's position contains the stream's, the stream is live and its cursor moves with the shard.
 */
final class CursorBook {
  /** Where a position came from, to say what to fix when VTGate refuses it. */
  enum Source {
    STATE("its saved state"),
    STARTING_GTIDS("starting_gtids");

    final String description;

    Source(String description) {
      this.description = description;
    }
  }

  /** One stream on one shard; a live entry's position is the shard's. */
  private static final class Entry {
    String position;
    final Source source;
    boolean live;
    /** Parsed once for the comparisons at each VGTID until the entry is live; null for positions of no known flavor. */
    GtidPosition set;

    Entry(String position, Source source) {
      this.position = position;
      this.source = source;
      this.set = StopRule.parseOrNull(position);
    }
  }

  /** Shards that left the stream and those that replaced them, with their first positions. */
  record Reshard(Set<Shard> replaced, Map<Shard, String> joined) {}

  private final String keyspace;
  private final Map<StreamId, Map<Shard, Entry>> entries = new LinkedHashMap<>();
  /** Where the VStream stands on each shard. */
  private final Map<Shard, String> shards = new TreeMap<>();
  private int waiting;
  /** Shards a reshard replaced: later VGTIDs may still list them until VTGate moves on. */
  private final Set<Shard> retired = new TreeSet<>();
  /** How many source shards sent each journal so far. */
  private final Map<List<Object>, Integer> journals = new java.util.HashMap<>();

  CursorBook(String keyspace) {
    this.keyspace = keyspace;
  }

  void add(StreamId stream, Shard shard, String position, Source source) {
    if (position.isEmpty()) {
      throw new IllegalArgumentException(stream + " has no position on shard " + shard + " to stream from");
    }
    entries.computeIfAbsent(stream, s -> new TreeMap<>()).put(shard, new Entry(position, source));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  Set<StreamId> streams() {
    return entries.keySet();
  }

  /**
   * Where the VStream (re)starts on each shard: the earliest position of its streams. Streams at
   * that position are live from the start.
   *
   * @throws SourceException when the positions of two streams on a shard are not from one history
   */
  Map<Shard, String> start() {
    Map<Shard, List<Entry>> byShard = new TreeMap<>();
    entries.values().forEach(streamEntries -> streamEntries.forEach((shard, entry) -> {
      byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(entry);
      if (entry.live) {
        entry.position = shards.get(shard);
        entry.set = null;
        entry.live = false;
      }
    }));
    shards.clear();
    waiting = 0;
    // each source sends its journal once per VStream: a retry counts them afresh
    journals.clear();
    byShard.forEach((shard, candidates) -> shards.put(shard, earliest(shard, candidates)));
    entries.values().forEach(streamEntries -> streamEntries.forEach((shard, entry) -> {
      entry.live = entry.position.equals(shards.get(shard));
      if (!entry.live) {
        if (entry.set == null) {
          entry.set = StopRule.parseOrNull(entry.position);
        }
        waiting++;
      }
    }));
    return Map.copyOf(shards);
  }

  private String earliest(Shard shard, List<Entry> candidates) {
    for (Entry candidate : candidates) {
      if (candidates.stream().allMatch(other -> StopRule.contains(other.position, candidate.position))) {
        return candidate.position;
      }
    }
    throw SourceException.config("The saved positions of " + owners(shard) + " on shard " + shard
        + " are not from one history (none is contained in all the others); reset all but one of these streams.");
  }

  /**
   * Moves the book to the positions of a VGTID: streams whose position the shard has reached turn
   * live. A reshard (shards gone, others new) moves every stream of the old shards to the new ones.
   *
   * @return the reshard the VGTID shows, or null
   */
  Reshard advance(Map<Shard, String> positions) {
    Map<Shard, String> listed = new TreeMap<>(positions);
    // a VGTID between a journal and the move to its shards still lists the shards it replaced
    listed.keySet().removeAll(retired);
    Reshard reshard = null;
    if (!shards.keySet().containsAll(listed.keySet())) {
      reshard = reshard(listed);
    }
    shards.putAll(listed);
    if (waiting > 0) {
      for (Map<Shard, Entry> streamEntries : entries.values()) {
        for (var e : streamEntries.entrySet()) {
          Entry entry = e.getValue();
          if (!entry.live && reached(listed.get(e.getKey()), entry)) {
            entry.live = true;
            waiting--;
          }
        }
      }
    }
    return reshard;
  }

  /**
   * A journal event of a reshard: once every source shard has sent it, VTGate goes on from the
   * journal's shards, at its positions, which may be all there is to read of them this sync.
   *
   * @return the reshard once every source has sent the journal, else null
   */
  Reshard journal(List<Shard> sources, Map<Shard, String> targets) {
    if (!shards.keySet().containsAll(sources)) {
      return null;
    }
    requireOneGeneration(sources, targets.keySet());
    int seen = journals.merge(List.of(List.copyOf(sources), new TreeMap<>(targets)), 1, Integer::sum);
    if (seen < sources.size()) {
      return null;
    }
    Map<Shard, String> after = new TreeMap<>(shards);
    after.keySet().removeAll(sources);
    after.putAll(targets);
    return advance(after);
  }

  /**
   * A journal leading to shards the stream reads, or read before a reshard replaced them, means
   * positions of two generations of shards in one VStream: some saved positions predate more than
   * one reshard. VTGate would read those shards twice, and the streams on the old ones would not
   * move with them: refused.
   */
  private void requireOneGeneration(List<Shard> sources, Set<Shard> targets) {
    Set<Shard> known = new TreeSet<>(targets);
    known.removeIf(shard -> !shards.containsKey(shard) && !retired.contains(shard));
    if (known.isEmpty()) {
      return;
    }
    String behind = sources.stream().map(shard -> "shard " + shard + ": " + owners(shard))
        .collect(Collectors.joining("; "));
    throw SourceException.config("The saved positions of " + behind + " predate more than one reshard of "
        + keyspace + ": shards " + sources + " were resharded into " + new TreeSet<>(targets) + ", and " + known
        + " were resharded again since. VTGate cannot follow both reshards in one VStream: reset these streams so"
        + " they are copied afresh.");
  }

  private static boolean reached(String shardPosition, Entry entry) {
    if (shardPosition == null) {
      return false;
    }
    if (entry.set == null) {
      return shardPosition.equals(entry.position);
    }
    GtidPosition at = StopRule.parseOrNull(shardPosition);
    return at != null && at.contains(entry.set);
  }

  private Reshard reshard(Map<Shard, String> positions) {
    Set<Shard> replaced = new TreeSet<>(shards.keySet());
    replaced.removeAll(positions.keySet());
    Map<Shard, String> joined = new TreeMap<>(positions);
    joined.keySet().removeAll(shards.keySet());
    for (Map<Shard, Entry> streamEntries : entries.values()) {
      boolean moved = false;
      for (Shard gone : replaced) {
        Entry entry = streamEntries.remove(gone);
        if (entry != null) {
          moved = true;
          waiting -= entry.live ? 0 : 1;
        }
      }
      if (moved) {
        joined.forEach((shard, position) -> {
          Entry entry = new Entry(position, Source.STATE);
          entry.live = true;
          streamEntries.put(shard, entry);
        });
      }
    }
    shards.keySet().removeAll(replaced);
    retired.addAll(replaced);
    return new Reshard(replaced, joined);
  }

  /** True when the events of {@code shard} are new to {@code stream}: write them. */
  boolean writes(StreamId stream, Shard shard) {
    Map<Shard, Entry> streamEntries = entries.get(stream);
    Entry entry = streamEntries == null ? null : streamEntries.get(shard);
    return entry != null && entry.live;
  }

  /** Where the VStream stands on each shard now. */
  Map<Shard, String> positions() {
    return shards;
  }

  /** The position of the shard now, or null when it is not in the stream. */
  String position(Shard shard) {
    return shards.get(shard);
  }

  /** The cursors to checkpoint for {@code stream}: where it stands on each of its shards. */
  Map<Shard, TableCursor> cursors(StreamId stream) {
    Map<Shard, TableCursor> cursors = new TreeMap<>();
    entries.getOrDefault(stream, Map.of()).forEach((shard, entry) -> cursors.put(shard,
        new TableCursor(shard, keyspace, entry.live ? shards.get(shard) : entry.position, null)));
    return cursors;
  }

  /** The streams on {@code shard}, and where each one's position came from. */
  String owners(Shard shard) {
    List<String> owners = new ArrayList<>();
    entries.forEach((stream, streamEntries) -> {
      Entry entry = streamEntries.get(shard);
      if (entry != null) {
        owners.add(stream + " (position from " + entry.source.description + ")");
      }
    });
    return String.join(", ", owners);
  }
}
