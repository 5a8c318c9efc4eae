package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.GtidPosition.Flavor;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.model.TabletType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a VSTREAM sync reads, decided from the saved cursors and the peeked positions before any
 * VStream opens: copies go table by table ({@link TableCopy}); streamed positions of every stream
 * go into one keyspace stream ({@link KeyspaceStream}); streams saved on shards since resharded
 * away into another, which follows VTGate's journal. A stream already at a shard's stop needs no
 * VStream there; but once the keyspace stream opens at all, it holds every shard any stream stands
 * on, so a reshard while it reads is followed (VTGate follows a journal only when every source
 * shard is in the stream) and moves every stream's cursor. A position of another flavor than its
 * shard's, or (read from the primary) one holding transactions its shard never executed, is
 * refused before anything is read; read from replicas, which may lag, such a position goes into a
 * stream of its own, so VTGate judges it and a refusal names it.
 */
final class SyncPlan {
  /** One copy: a stream on some shards, from their cursors. */
  record Copy(ConfiguredStream stream, Map<Shard, TableCursor> from) {}

  private final SourceConfig config;
  private final String keyspace;
  final CursorBook keyspaceStream;
  final CursorBook resharded;
  final List<CursorBook> ahead = new ArrayList<>();
  final List<Copy> copies = new ArrayList<>();
  /** Each stream's cursors as the sync starts: the saved ones, and those the sync starts from. */
  final Map<StreamId, Map<Shard, TableCursor>> initial = new LinkedHashMap<>();
  /** Streams with something to read. */
  final Set<StreamId> busy = new HashSet<>();
  /** Shards VTGate lists that a stream's state does not know (after a reshard), per stream. */
  final Map<StreamId, Set<Shard>> newShards = new LinkedHashMap<>();
  /** Streams standing at a shard's stop: in the keyspace stream only if it opens for another shard or stream. */
  private final List<Standing> standing = new ArrayList<>();

  private record Standing(StreamId stream, Shard shard, String position, CursorBook.Source source) {}

  private SyncPlan(SourceConfig config) {
    this.config = config;
    this.keyspace = config.keyspace();
    this.keyspaceStream = new CursorBook(keyspace);
    this.resharded = new CursorBook(keyspace);
  }

  /**
   * @param live the shards to read (all, or the filter's)
   * @param stops the peeked position of every serving shard
   * @param starting starting_gtids of this keyspace, for streams without state
   */
  static SyncPlan of(SourceConfig config, List<ConfiguredStream> catalog,
      Map<StreamId, Map<Shard, TableCursor>> saved, Set<Shard> live, Map<Shard, String> stops,
      Map<Shard, String> starting) {
    SyncPlan plan = new SyncPlan(config);
    for (ConfiguredStream stream : catalog) {
      plan.add(stream, saved.getOrDefault(new StreamId(config.keyspace(), stream.id().name()), Map.of()), live,
          stops, starting);
    }
    if (!plan.keyspaceStream.isEmpty()) {
      plan.standing.forEach(s -> plan.keyspaceStream.add(s.stream(), s.shard(), s.position(), s.source()));
    }
    return plan;
  }

  private void add(ConfiguredStream stream, Map<Shard, TableCursor> saved, Set<Shard> live, Map<Shard, String> stops,
      Map<Shard, String> starting) {
    StreamId id = stream.id();
    Map<Shard, TableCursor> initial = new TreeMap<>();
    Set<Shard> fresh = new TreeSet<>(live);
    fresh.removeAll(saved.keySet());
    newShards.put(id, fresh);
    if (stream.syncMode() == SyncMode.FULL_REFRESH) {
      // a full refresh copies again, unless a copy was cut short and can resume
      for (Shard shard : live) {
        TableCursor cursor = saved.get(shard);
        boolean resumable = cursor != null && cursor.lastKnownPk() != null;
        if (resumable) {
          requireReachableOnShard(stream, cursor, stops.get(shard), CursorBook.Source.STATE);
        }
        copy(stream, shard, resumable ? cursor : TableCursor.start(keyspace, shard), initial);
      }
      this.initial.put(id, initial);
      return;
    }
    Map<Shard, TableCursor> gone = new TreeMap<>(saved);
    gone.keySet().removeAll(stops.keySet());
    initial.putAll(saved);
    if (gone.values().stream().anyMatch(TableCursor::copying)) {
      // a copy cut short on shards since resharded away cannot be followed: copy the new shards afresh
      initial.keySet().removeAll(gone.keySet());
      gone.clear();
    }
    gone.forEach((shard, cursor) -> {
      // a reshard: VTGate follows the old shards' journal to the new ones, which are not started apart
      busy.add(id);
      resharded.add(id, shard, cursor.position(), CursorBook.Source.STATE);
    });
    for (Shard shard : live) {
      TableCursor cursor = saved.get(shard);
      CursorBook.Source source = CursorBook.Source.STATE;
      if (cursor == null && !gone.isEmpty()) {
        continue;
      }
      if (cursor == null) {
        String start = starting.get(shard);
        source = CursorBook.Source.STARTING_GTIDS;
        cursor = start == null ? TableCursor.start(keyspace, shard) : new TableCursor(shard, keyspace, start, null);
      }
      requireReachableOnShard(stream, cursor, stops.get(shard), source);
      if (cursor.copying()) {
        copy(stream, shard, cursor, initial);
        continue;
      }
      initial.put(shard, cursor);
      // peek before sync: a shard already at its stop position needs no VStream
      switch (StopRule.standing(cursor.position(), stops.get(shard))) {
        case AT -> standing.add(new Standing(id, shard, cursor.position(), source));
        case BEHIND -> {
          busy.add(id);
          keyspaceStream.add(id, shard, cursor.position(), source);
        }
        case AHEAD -> {
          busy.add(id);
          CursorBook own = new CursorBook(keyspace);
          own.add(id, shard, cursor.position(), source);
          ahead.add(own);
        }
      }
    }
    this.initial.put(id, initial);
  }

  /** The keyspace streams to read, each through one VStream: the main one first. */
  List<CursorBook> keyspaceStreams() {
    List<CursorBook> books = new ArrayList<>();
    for (CursorBook book : List.of(keyspaceStream, resharded)) {
      if (!book.isEmpty()) {
        books.add(book);
      }
    }
    books.addAll(ahead);
    return books;
  }

  private void copy(ConfiguredStream stream, Shard shard, TableCursor from, Map<Shard, TableCursor> initial) {
    busy.add(stream.id());
    initial.put(shard, from);
    copies.add(new Copy(stream, Map.of(shard, from)));
  }

  /**
   * A position from the state or from starting_gtids must be one the shard can go on from: of the
   * flavor it reports (MySQL56 or MariaDB), and, read from the primary, no further than where it
   * stands. Either fault means a position of another cluster or a made-up one, which VTGate cannot
   * stream from (over MariaDB it would wait for transactions that never come). A replica may lag
   * behind the one a state was saved on, so there VTGate decides. Only when the texts differ.
   */
  private void requireReachableOnShard(ConfiguredStream stream, TableCursor cursor, String stop,
      CursorBook.Source source) {
    String position = cursor.position();
    if (stop == null || position.isEmpty() || position.equals(stop)) {
      return;
    }
    boolean fromState = source == CursorBook.Source.STATE;
    String shard = cursor.shard().name();
    String whose = fromState ? "The state of stream " + stream.id() + " on shard " + shard
        : "starting_gtids for shard " + shard + " (stream " + stream.id() + ")";
    String fix = fromState ? "the state comes from another cluster; reset the stream so that it is copied afresh"
        : "give it that shard's own position (select @@gtid_binlog_pos on MariaDB, select @@gtid_executed on"
            + " MySQL), or leave it out to copy the table";
    Optional<Flavor> given = Flavor.of(position);
    Optional<Flavor> reported = Flavor.of(stop);
    if (given.isPresent() && reported.isPresent() && !given.equals(reported)) {
      throw SourceException.config(whose + " holds the " + given.get() + " position " + position + ", but shard "
          + shard + " of " + keyspace + " reports " + reported.get() + " positions (" + stop + "): " + fix + ".");
    }
    if (config.tabletType() == TabletType.PRIMARY && StopRule.standing(position, stop) == StopRule.Standing.AHEAD) {
      throw SourceException.config(whose + " holds the position " + position + ", which shard " + shard + " of "
          + keyspace + " never reached: it stands at " + stop + ". " + capitalized(fix) + ".");
    }
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
