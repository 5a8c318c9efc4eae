package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.Pause;
import dev.sourcevitess.domain.port.UnknownColumnException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Copies one table from one shard (or, after a reshard, from the shards that replaced it) over its
 * own VStream: the copy, resumed from position and last key when it was cut short, then the
 * changes until the cursor contains the shard's stop position. Copy rows wait in a
 * {@link CopyHoldBack} for the STATE that covers them. A full refresh ends with its copy.
 */
final class TableCopy implements StreamAttempts.Reader {
  private final SourceConfig config;
  private final ChangeStreams changes;
  private final ReadSession session;
  private final StreamAttempts attempts;
  private final ConfiguredStream stream;
  private final StopRule stops;
  private final boolean fullRefresh;

  /** Where each shard stands after the events handled so far; checkpointed from time to time. */
  private final Map<Shard, TableCursor> cursors = new TreeMap<>();
  /** The latest position seen per shard, also while a copy keeps its cursor at "". */
  private final TreeMap<Shard, String> latest = new TreeMap<>();
  private final Set<Shard> copying = new HashSet<>();
  private final Set<Shard> replaced = new HashSet<>();
  /**
   * Copies an earlier sync began (and may have been killed in, between copy rows and their STATE):
   * once done, the shard's changes are read again from where the copy began.
   */
  private final Set<Shard> resumed = new HashSet<>();
  /** Shards whose copy is done and whose cursor waits at its replay start for the next VStream. */
  private final Set<Shard> toReplay = new HashSet<>();
  private final CopyHoldBack held;
  /** Rows the schema estimates the table holds, for the progress of its copy. */
  private final long rowEstimate;
  private RecordLayout layout;
  /** The cursors of the last STATE: where a retry starts again. */
  private Map<Shard, TableCursor> checkpointed;
  private boolean finished;
  /** A copy began on a shard: its replay start goes into a STATE before any of its rows. */
  private boolean checkpointAfterCovered;
  /** The columns to stream; empty for all. */
  private List<String> columns;
  private final Events events;

  TableCopy(SourceConfig config, ChangeStreams changes, ReadSession session, Pause pause,
      ConfiguredStream stream, Table table, Map<Shard, TableCursor> from, Map<Shard, String> stopPositions) {
    this.config = config;
    this.changes = changes;
    this.session = session;
    this.attempts = new StreamAttempts(config, session, pause);
    this.stream = stream;
    this.stops = new StopRule(stopPositions);
    this.fullRefresh = stream.syncMode() == SyncMode.FULL_REFRESH;
    this.held = new CopyHoldBack(stream.id());
    this.cursors.putAll(from);
    from.forEach((shard, cursor) -> {
      latest.put(shard, cursor.position());
      if (cursor.copying()) {
        copying.add(shard);
        if (cursor.replayFrom() != null && !fullRefresh) {
          resumed.add(shard);
        }
      }
    });
    this.checkpointed = Map.copyOf(from);
    this.layout = layout(table.columns());
    this.rowEstimate = table.rowEstimate();
    this.columns = streamedColumns(table, stream);
    this.events = new Events();
  }

  /**
   * The columns VTGate is asked for: the selected ones and the key, so deselected columns never
   * leave the database; all of a table without a primary key, whose copy Vitess orders by every
   * column.
   */
  static List<String> streamedColumns(Table table, ConfiguredStream stream) {
    Table narrowed = table.narrowedTo(stream.selectedColumns());
    boolean all = narrowed.columns().size() == table.columns().size();
    return all || !table.hasPrimaryKey() ? List.of() : narrowed.columnNames();
  }

  /**
   * Whether a refused rule was this list's: a rule naming {@code column} (MySQL's names are
   * case-insensitive). A rule of every column ({@code SELECT *}) names none, so the tablets never
   * refuse it for a row's columns: the reader streams such a table with every column from then on.
   */
  static boolean names(List<String> streamed, String column) {
    return streamed.stream().anyMatch(c -> c.equalsIgnoreCase(column));
  }

  private RecordLayout layout(List<Column> columns) {
    return RecordLayout.select(columns, stream.selectedColumns(), true, config.includeMetadata());
  }

  /** Reads until done; throws the last failure once retries run out. */
  void read() throws InterruptedException {
    attempts.run(this);
  }

  @Override
  public boolean done() {
    return finished || (copying.isEmpty() && !fullRefresh && reachedStop());
  }

  @Override
  public void attempt() {
    do {
      toReplay.clear();
      changes.stream(request(), events);
    } while (!toReplay.isEmpty() && !done());
  }

  /**
   * After a failed attempt: writes the held rows that the last VGTID covers and a STATE at that
   * VGTID, and drops the rest, which the next attempt reads again. True if a STATE was written.
   */
  @Override
  public boolean saveProgress() {
    toReplay.clear();
    held.dropUncovered();
    boolean moved = !held.isEmpty() || !cursors.equals(checkpointed);
    if (moved) {
      checkpoint();
    }
    return moved;
  }

  /**
   * A shard the sync's peek listed that VTGate no longer knows was resharded away while the sync
   * ran: the next sync copies the shards that replaced it, as for any copy cut short on a shard
   * since resharded away ({@link SyncPlan}).
   */
  @Override
  public SourceException describe(ChangeStreamException e) {
    Set<Shard> gone = e.reason() == ChangeStreamException.Reason.NOT_FOUND ? reshardedAway() : Set.of();
    if (gone.isEmpty()) {
      return StreamFailures.describe(e, config);
    }
    // a full refresh replaces what it sent; an incremental destination keeps rows no later record deletes
    boolean sentRows = !fullRefresh && gone.stream().anyMatch(shard -> cursors.get(shard).lastKnownPk() != null);
    return new SourceException(FailureType.TRANSIENT_ERROR, "Shards " + gone + " of " + config.keyspace()
        + " were resharded while this sync copied " + stream.id() + ", so VTGate no longer serves them; the next"
        + " sync copies " + stream.id() + " from the shards that replaced them."
        + (sentRows ? " Rows already copied from " + gone + " and deleted since may stay in the destination"
            + " until the stream is reset." : ""), e.getMessage(), e);
  }

  /** The shards of this copy that the sync's peek listed and VTGate no longer serves. */
  private Set<Shard> reshardedAway() {
    Map<Shard, String> serving;
    try {
      serving = changes.currentPositions(config.keyspace());
    } catch (ChangeStreamException unreachable) {
      return Set.of();
    }
    Set<Shard> gone = new TreeSet<>();
    for (Shard shard : cursors.keySet()) {
      if (stops.stopOf(shard) != null && !serving.containsKey(shard)) {
        gone.add(shard);
      }
    }
    return gone;
  }

  @Override
  public String what() {
    return "The VStream of " + stream.id() + " on shards " + cursors.keySet();
  }

  @Override
  public boolean adapt(ChangeStreamException e) {
    if (!(e instanceof UnknownColumnException gone) || !gone.table().equals(stream.id().name())
        || !names(columns, gone.column())) {
      return false;
    }
    columns = List.of();
    session.logOnce(LogLevel.WARN, ColumnChanges.everyColumn(stream.id(), gone.column()));
    return true;
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

  /** What each event does to this stream; true goes on, false closes the stream. */
  private final class Events extends ReaderEvents {
    Events() {
      super(session, config.keyspace(), config.timeoutSeconds());
    }

    @Override
    Collection<StreamId> streams() {
      return List.of(stream.id());
    }

    @Override
    Map<Shard, String> behind() {
      Map<Shard, String> behind = new TreeMap<>();
      cursors.forEach((shard, cursor) -> {
        if (copying.contains(shard) || !stops.reached(shard, cursor.position())) {
          behind.put(shard, cursor.position());
        }
      });
      return behind;
    }

    @Override
    String stopOf(Shard shard) {
      return stops.stopOf(shard);
    }

    /**
     * {@code Copying commerce.customer: 12,000 rows read in 30 s (information_schema estimates about
     * 50,000 rows); shard -80 copying.} The estimate is a hint, not a total: it may count one shard
     * or all of them, and misses rows by tens of percent.
     */
    @Override
    String progress(ReadProgress progress) {
      StringBuilder line = new StringBuilder(copying.isEmpty() ? "Catching up on " : "Copying ").append(stream.id())
          .append(": ").append(progress.rowsRead());
      if (!copying.isEmpty() && rowEstimate > 0) {
        line.append(String.format(java.util.Locale.ROOT, " (information_schema estimates about %,d rows)", rowEstimate));
      }
      Map<Shard, String> behind = behind();
      List<String> shards = new ArrayList<>();
      cursors.keySet().forEach(shard -> shards.add("shard " + shard + (copying.contains(shard) ? " copying"
          : behind.containsKey(shard) ? " " + ReadProgress.shortOf(behind.get(shard), stops.stopOf(shard)) : " there")));
      return line.append("; ").append(String.join(", ", shards)).append(progress.latestChange()).append('.').toString();
    }

    @Override
    void onFields(ChangeEvent.Fields event) {
      if (event.table().equals(stream.id().name())) {
        layout = layout(event.columns());
      }
    }

    @Override
    boolean onRow(ChangeEvent.RowChange event) {
      // VTGate filters by table, but a row of another table must never land in this stream
      if (event.table().equals(stream.id().name())) {
        boolean deleted = event.operation() == ChangeEvent.Operation.DELETE;
        Shard shard = event.shard() != null ? event.shard() : latest.firstKey();
        String position = latest.getOrDefault(shard, "");
        RawRow image = deleted ? event.before() : event.after();
        if (copying.isEmpty()) {
          held.passed();
          session.change(stream.id(), layout, image, event.eventTime(), deleted, position);
        } else {
          held.hold(layout, image, event.eventTime(), deleted, position);
        }
      }
      return true;
    }

    @Override
    boolean onPosition(ChangeEvent.Vgtid event) {
      return TableCopy.this.onPosition(event);
    }

    @Override
    boolean onCopyCompleted(ChangeEvent.CopyCompleted event) {
      return TableCopy.this.onCopyCompleted(event);
    }

    /** Re-sends the last STATE, so a long quiet copy still shows life. */
    @Override
    void onIdle() {
      if (held.isEmpty() && session.checkpointDue(stream.id())) {
        checkpoint();
      }
    }

    @Override
    boolean onJournal(ChangeEvent.Journal event) {
      session.log(LogLevel.INFO, "Shards " + event.sourceShards() + " of " + config.keyspace()
          + " were resharded; " + stream.id() + " follows its rows to shards "
          + event.newPositions().stream().map(ChangeEvent.ShardPosition::shard).toList() + ".");
      return true;
    }
  }

  private boolean onPosition(ChangeEvent.Vgtid vgtid) {
    held.covered();
    checkpointAfterCovered = false;
    boolean resharded = vgtid.shards().stream().anyMatch(p -> !cursors.containsKey(p.shard()));
    if (resharded) {
      Set<Shard> listed = new HashSet<>();
      vgtid.shards().forEach(p -> listed.add(p.shard()));
      for (Shard old : new ArrayList<>(cursors.keySet())) {
        if (!listed.contains(old)) {
          cursors.remove(old);
          copying.remove(old);
          latest.remove(old);
          replaced.add(old);
        }
      }
    }
    for (ChangeEvent.ShardPosition p : vgtid.shards()) {
      latest.put(p.shard(), p.position());
      TableCursor cursor = cursors.getOrDefault(p.shard(), TableCursor.start(config.keyspace(), p.shard()));
      if (!cursors.containsKey(p.shard())) {
        stops.joined(p.shard(), p.position());
        cursors.put(p.shard(), cursor.at(p.position(), null));
      } else if (copying.contains(p.shard())) {
        if (cursor.replayFrom() == null && !fullRefresh && !p.position().isEmpty()) {
          // said before any row of the copy goes out: a later sync that finds the copy unfinished
          // reads the shard's changes again from here
          cursors.put(p.shard(), cursor.replayingFrom(p.position()));
          checkpointAfterCovered = true;
          cursor = cursors.get(p.shard());
        }
        LastKey lastKey = p.lastPk() != null ? p.lastPk() : cursor.lastKnownPk();
        // until a first key is copied, a restart must copy from scratch: keep the position empty
        if (lastKey != null) {
          cursors.put(p.shard(), cursor.at(p.position(), lastKey));
        }
      } else if (!toReplay.contains(p.shard())) {
        cursors.put(p.shard(), cursor.at(p.position(), null));
      }
    }
    if (!fullRefresh && copying.isEmpty() && reachedStop()) {
      finished = true;
      checkpoint();
      return false;
    }
    if (held.checkpointDue(session) || resharded || checkpointAfterCovered) {
      checkpoint();
    }
    return true;
  }

  private boolean onCopyCompleted(ChangeEvent.CopyCompleted done) {
    List<Shard> completed = done.shard() == null ? List.copyOf(copying) : List.of(done.shard());
    for (Shard shard : completed) {
      if (copying.remove(shard)) {
        TableCursor cursor = cursors.get(shard);
        if (resumed.remove(shard) && cursor.replayFrom() != null) {
          cursors.put(shard, cursor.at(cursor.replayFrom(), null));
          toReplay.add(shard);
        } else {
          cursors.put(shard, cursor.at(latest.getOrDefault(shard, ""), null));
        }
      }
    }
    if (!copying.isEmpty()) {
      return true;
    }
    if (!toReplay.isEmpty()) {
      held.dropUncovered();
      checkpoint();
      session.log(LogLevel.INFO, "The copy of " + stream.id() + " on shards " + toReplay + " began in an earlier"
          + " sync; their changes since it began are read again, so that rows that sync copied and that were"
          + " deleted since are deleted in the destination too.");
      return false;
    }
    checkpoint();
    if (fullRefresh || reachedStop()) {
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
      held.release(session);
      session.checkpoint(stream.id(), cursors, replaced);
    });
    checkpointed = Map.copyOf(cursors);
  }

  /**
   * True when every shard's position contains its stop position. A shard the peek did not list
   * (resharded away) has no stop: its stream goes on until VTGate's journal moves it to shards
   * that have one.
   */
  private boolean reachedStop() {
    for (var entry : cursors.entrySet()) {
      if (!stops.reached(entry.getKey(), entry.getValue().position())) {
        return false;
      }
    }
    return true;
  }
}
