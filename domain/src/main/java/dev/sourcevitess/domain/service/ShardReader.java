package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.CopiedRow;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.Pause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads one stream from one shard (or, after a reshard, from the shards that replaced it) over
 * VStream: the copy when the cursor has no position, then changes until the cursor contains the
 * shard's stop position. A failed stream is retried from the last checkpoint.
 *
 * <p>Copy rows are held until a VGTID lets them out together with a STATE that covers them. A
 * copy resumes after its saved key and only catches up changes at or below it, so a row written
 * past the last STATE and deleted before the retry would otherwise stay in the destination.
 * Changes streamed after the copy need no such care: a retry replays everything after the saved
 * position.
 */
final class ShardReader {
  private final SourceConfig config;
  private final ChangeStreams changes;
  private final ReadSession session;
  private final Pause pause;
  private final ConfiguredStream stream;
  private final Map<Shard, Stop> stops = new TreeMap<>();
  private final boolean fullRefresh;

  /** Where each shard stands after the events handled so far; checkpointed from time to time. */
  private final Map<Shard, TableCursor> cursors = new TreeMap<>();
  /** The latest position seen per shard, also while a copy keeps its cursor at "". */
  private final TreeMap<Shard, String> latest = new TreeMap<>();
  private final Set<Shard> copying = new HashSet<>();
  private final Set<Shard> replaced = new HashSet<>();
  private RecordLayout layout;
  /** Copy rows not yet written: they go out with the STATE that covers them. */
  private final List<Pending> pending = new ArrayList<>();
  /** How many of the pending rows the last VGTID covers; the rest belong to an unfinished batch. */
  private int coveredPending;
  private long pendingBytes;
  /** Rows since the last VGTID, and the most between two VGTIDs so far: what the next may bring. */
  private long rowsSincePosition;
  private long largestBatch;
  /** The cursors of the last STATE: where a retry starts again. */
  private Map<Shard, TableCursor> checkpointed;
  private boolean finished;
  /** The columns to stream; empty for all. */
  private final List<String> columns;

  ShardReader(SourceConfig config, ChangeStreams changes, ReadSession session, Pause pause,
      ConfiguredStream stream, Table table, Map<Shard, TableCursor> from, Map<Shard, String> stopPositions) {
    this.config = config;
    this.changes = changes;
    this.session = session;
    this.pause = pause;
    this.stream = stream;
    stopPositions.forEach((shard, stop) -> stops.put(shard, new Stop(stop)));
    this.fullRefresh = stream.syncMode() == SyncMode.FULL_REFRESH;
    this.cursors.putAll(from);
    from.forEach((shard, cursor) -> {
      latest.put(shard, cursor.position());
      if (cursor.copying()) {
        copying.add(shard);
      }
    });
    this.checkpointed = Map.copyOf(from);
    this.layout = layout(table.columns());
    this.columns = streamedColumns(table, stream);
  }

  /**
   * The columns VTGate is asked for: the selected ones and the key, so deselected columns never
   * leave the database; all of a table without a primary key, whose copy Vitess orders by every
   * column.
   */
  private static List<String> streamedColumns(Table table, ConfiguredStream stream) {
    Table narrowed = table.narrowedTo(stream.selectedColumns());
    boolean all = narrowed.columns().size() == table.columns().size();
    return all || !table.hasPrimaryKey() ? List.of() : narrowed.columnNames();
  }

  private RecordLayout layout(List<Column> columns) {
    return RecordLayout.select(columns, stream.selectedColumns(), true, config.includeMetadata());
  }

  /** A copy row waiting for its STATE. */
  private record Pending(RecordLayout layout, RawRow row, long size, Instant committed, boolean deleted,
      String position) {}

  /** At most this much of a copy is held back (the buffer may pass it by one VTGate batch). */
  static final long MAX_PENDING_BYTES = 8 << 20;

  /** Reads until done; throws the last failure once retries run out. */
  void read() throws InterruptedException {
    int failures = 0;
    boolean attempted = false;
    while (!finished) {
      // before the first attempt the plan has decided: a saved position past the stop is streamed
      if (attempted && copying.isEmpty() && !fullRefresh && reachedStop()) {
        return;
      }
      attempted = true;
      try {
        changes.stream(request(), this::handle);
        if (!finished) {
          throw new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE,
              "VTGate ended the stream of " + stream.id() + " before it was done");
        }
      } catch (ChangeStreamException e) {
        boolean advanced = saveProgress();
        if (!StreamFailures.retryable(e)) {
          throw StreamFailures.describe(e, config);
        }
        // a deadline that cut a stream making progress ends an attempt; it is no failure
        if (e.reason() == ChangeStreamException.Reason.DEADLINE_EXCEEDED && advanced) {
          failures = 0;
          continue;
        }
        if (++failures > config.maxRetries()) {
          throw StreamFailures.describe(e, config);
        }
        session.log(LogLevel.WARN, "The VStream of " + stream.id() + " on shards " + cursors.keySet() + " failed ("
            + e.getMessage() + "); retry " + failures + " of " + config.maxRetries() + " from the last checkpoint.");
        pause.sleep(Retries.backoff(failures));
      }
    }
  }

  /**
   * After a failed attempt: writes the held rows that the last VGTID covers and a STATE at that
   * VGTID, and drops the rest, which the next attempt reads again. True if a STATE was written.
   */
  private boolean saveProgress() {
    pending.subList(coveredPending, pending.size()).clear();
    pendingBytes = pending.stream().mapToLong(Pending::size).sum();
    boolean moved = !pending.isEmpty() || !cursors.equals(checkpointed);
    if (moved) {
      checkpoint();
    }
    return moved;
  }

  private ChangeStreams.Request request() {
    List<ChangeStreams.Start> starts = new ArrayList<>();
    cursors.forEach((shard, cursor) -> {
      if (!copying.contains(shard)) {
        starts.add(new ChangeStreams.Start(shard, cursor.position(), null));
      } else if (cursor.lastKnownPk() == null) {
        starts.add(new ChangeStreams.Start(shard, "", null));
      } else {
        // copy resume: catch up from the position on copied rows, then copy the rest
        String position = config.useGtidWithTablePks() ? cursor.position() : "";
        starts.add(new ChangeStreams.Start(shard, position, cursor.lastKnownPk()));
      }
    });
    return new ChangeStreams.Request(config.keyspace(), stream.id().name(), starts, columns);
  }

  private boolean handle(ChangeEvent event) {
    return event.accept(events);
  }

  /** What each event does to this stream; true goes on, false closes the stream. */
  private final ChangeEvent.Visitor<Boolean> events = new ChangeEvent.Visitor<>() {
    @Override
    public Boolean begin(ChangeEvent.Begin event) {
      return true;
    }

    @Override
    public Boolean fields(ChangeEvent.Fields event) {
      if (event.table().equals(stream.id().name())) {
        layout = layout(event.columns());
      }
      return true;
    }

    @Override
    public Boolean row(ChangeEvent.RowChange event) {
      // VTGate filters by table, but a row of another table must never land in this stream
      if (event.table().equals(stream.id().name())) {
        rowsSincePosition++;
        boolean deleted = event.operation() == ChangeEvent.Operation.DELETE;
        Map.Entry<Shard, String> first = latest.firstEntry();
        String position = first == null ? "" : first.getValue();
        RawRow image = deleted ? event.before() : event.after();
        if (copying.isEmpty()) {
          session.change(stream.id(), layout, image, event.eventTime(), deleted, position);
        } else {
          // a row whose bytes never change can be held as it is; a reused view must be copied
          RawRow held = image.stable() ? image : CopiedRow.of(image);
          long size = held.size();
          pending.add(new Pending(layout, held, size, event.eventTime(), deleted, position));
          pendingBytes += size;
        }
      }
      return true;
    }

    @Override
    public Boolean vgtid(ChangeEvent.Vgtid event) {
      return onPosition(event);
    }

    @Override
    public Boolean commit(ChangeEvent.Commit event) {
      return true;
    }

    @Override
    public Boolean copyCompleted(ChangeEvent.CopyCompleted event) {
      return onCopyCompleted(event);
    }

    @Override
    public Boolean heartbeat(ChangeEvent.Heartbeat event) {
      if (copying.isEmpty() && !fullRefresh) {
        // VTGate heartbeats only when it has had nothing to send: short of the stop position, the
        // rest are other tables' transactions that a server did not report. End here, at what was
        // seen, rather than wait for the deadline; the next sync starts from this cursor.
        session.log(LogLevel.INFO, stream.id() + ": VTGate is idle on shards " + cursors.keySet()
            + " before the peeked position; this sync ends at the last position it reported.");
        finished = true;
        checkpoint();
        return false;
      }
      // heartbeats carry no position: re-send the last one so a long quiet copy still shows life
      if (pending.isEmpty() && session.checkpointDue(stream.id())) {
        checkpoint();
      }
      return true;
    }

    @Override
    public Boolean ddl(ChangeEvent.Ddl event) {
      if (event.truncates(stream.id().name())) {
        session.log(LogLevel.WARN, "Table " + stream.id() + " was truncated (" + event.statement() + "). VStream"
            + " sends a TRUNCATE as a statement only, without row deletes, so the destination keeps the rows it"
            + " had; run a full refresh of this stream (or reset it) to drop them.");
        return true;
      }
      session.log(LogLevel.INFO, "DDL on " + config.keyspace() + ": " + event.statement());
      return true;
    }

    @Override
    public Boolean journal(ChangeEvent.Journal event) {
      session.log(LogLevel.INFO, "Shards " + event.sourceShards() + " of " + config.keyspace()
          + " were resharded; " + stream.id() + " follows its rows to shards "
          + event.newPositions().stream().map(ChangeEvent.ShardPosition::shard).toList() + ".");
      return true;
    }

    @Override
    public Boolean other(ChangeEvent.Other event) {
      return true;
    }
  };

  private boolean onPosition(ChangeEvent.Vgtid vgtid) {
    coveredPending = pending.size();
    largestBatch = Math.max(largestBatch, rowsSincePosition);
    rowsSincePosition = 0;
    boolean resharded = vgtid.shards().stream().anyMatch(p -> !cursors.containsKey(p.shard()));
    if (resharded) {
      Set<Shard> listed = new HashSet<>();
      vgtid.shards().forEach(p -> listed.add(p.shard()));
      for (Shard old : new ArrayList<>(cursors.keySet())) {
        if (!listed.contains(old)) {
          cursors.remove(old);
          copying.remove(old);
          replaced.add(old);
        }
      }
    }
    for (ChangeEvent.ShardPosition p : vgtid.shards()) {
      latest.put(p.shard(), p.position());
      TableCursor cursor = cursors.getOrDefault(p.shard(), TableCursor.start(config.keyspace(), p.shard()));
      if (!cursors.containsKey(p.shard())) {
        cursors.put(p.shard(), cursor.at(p.position(), null));
      } else if (copying.contains(p.shard())) {
        LastKey lastKey = p.lastPk() != null ? p.lastPk() : cursor.lastKnownPk();
        // until a first key is copied, a restart must copy from scratch: keep the position empty
        if (lastKey != null) {
          cursors.put(p.shard(), cursor.at(p.position(), lastKey));
        }
      } else {
        cursors.put(p.shard(), cursor.at(p.position(), null));
      }
    }
    if (!fullRefresh && copying.isEmpty() && reachedStop()) {
      finished = true;
      checkpoint();
      return false;
    }
    if (checkpointDue() || resharded) {
      checkpoint();
    }
    return true;
  }

  /** A STATE is owed before the next batch could take the stream past 10,000 records without one. */
  private boolean checkpointDue() {
    return pendingBytes >= MAX_PENDING_BYTES || session.checkpointDue(stream.id(), pending.size() + largestBatch);
  }

  private boolean onCopyCompleted(ChangeEvent.CopyCompleted done) {
    List<Shard> completed = done.shard() == null ? List.copyOf(copying) : List.of(done.shard());
    for (Shard shard : completed) {
      if (copying.remove(shard)) {
        cursors.put(shard, cursors.get(shard).at(latest.getOrDefault(shard, ""), null));
      }
    }
    if (!copying.isEmpty()) {
      return true;
    }
    if (fullRefresh) {
      finished = true;
      checkpoint();
      return false;
    }
    checkpoint();
    if (reachedStop()) {
      finished = true;
      return false;
    }
    return true;
  }

  /**
   * Writes the held-back copy rows, then the STATE that covers them, as one step: another shard's
   * rows or STATE never come between them.
   */
  private void checkpoint() {
    session.atomically(() -> {
      Instant extracted = session.now();
      for (Pending p : pending) {
        session.change(stream.id(), p.layout(), p.row(), p.committed(), p.deleted(), p.position(), extracted);
      }
      session.checkpoint(stream.id(), cursors, replaced);
    });
    pending.clear();
    coveredPending = 0;
    pendingBytes = 0;
    checkpointed = Map.copyOf(cursors);
  }

  /**
   * True when every shard's position contains its stop position, compared as GTID sets. A shard
   * the peek did not list (resharded away) has no stop: its stream goes on until VTGate's journal
   * moves it to shards that have one.
   */
  private boolean reachedStop() {
    for (var entry : cursors.entrySet()) {
      Stop stop = stops.get(entry.getKey());
      if (stop == null || !stop.reachedBy(entry.getValue().position())) {
        return false;
      }
    }
    return true;
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

  /**
   * True when a saved position is where the shard stood at the peek: the stop's very set, in any
   * spelling. A position past the stop holds transactions the shard never had (a state of another
   * cluster, a made-up start; MariaDB's domain 0 is everyone's), so it is never up to date: the
   * plan refuses it on the primary and leaves it to VTGate on replicas, which may lag.
   *
   * @throws IllegalArgumentException when they are positions of different flavors
   */
  static boolean atStop(String position, String stop) {
    if (position.equals(stop)) {
      // the common case of a shard with nothing new: no parsing
      return !position.isEmpty();
    }
    GtidPosition at = parseOrNull(position);
    GtidPosition end = at == null ? null : parseOrNull(stop);
    return end != null && at.contains(end) && end.contains(at);
  }

  /**
   * True when {@code position} holds transactions that {@code stop} lacks; false when either is
   * neither a MySQL56 nor a MariaDB position, which compare only by their text.
   *
   * @throws IllegalArgumentException when they are positions of different flavors
   */
  static boolean pastStop(String position, String stop) {
    GtidPosition at = parseOrNull(position);
    GtidPosition end = at == null ? null : parseOrNull(stop);
    return end != null && !end.contains(at);
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

  private static GtidPosition parseOrNull(String position) {
    try {
      return GtidPosition.parse(position);
    } catch (IllegalArgumentException unknownFlavor) {
      return null;
    }
  }
}
