package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.CopiedRow;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.Pause;
import dev.sourcevitess.domain.port.UnknownColumnException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The incremental streams of a keyspace read through one VStream: every shard, one filter rule per
 * table, so each shard's binlog is read once per sync whatever the number of tables. Each shard
 * starts at the earliest position of its streams ({@link CursorBook}); the sync ends when every
 * shard has reached its peeked position ({@link StopRule}). A failed VStream is retried from the
 * last checkpoint of each stream.
 *
 * <p>Streamed changes need no hold-back: a retry replays everything after the saved positions, and
 * a destination that dedups absorbs the repeats.
 */
final class KeyspaceStream implements StreamAttempts.Reader {
  private final SourceConfig config;
  private final ChangeStreams changes;
  private final ReadSession session;
  private final StreamAttempts attempts;
  private final CursorBook book;
  private final StopRule stops;
  private final Map<String, StreamId> streamsByTable = new HashMap<>();
  private final Map<String, ConfiguredStream> configured = new HashMap<>();
  private final Map<String, RecordLayout> layouts = new HashMap<>();
  private final List<String> tables = new ArrayList<>();
  /** The columns to stream per table, where not all of them. */
  private final Map<String, List<String>> columns = new HashMap<>();
  private boolean finished;
  /** Rows of shards not yet in the stream's VGTIDs (after a reshard), until the VGTID that lists them. */
  private final List<Joining> joining = new ArrayList<>();

  private record Joining(StreamId stream, Shard shard, RecordLayout layout, RawRow row, Instant committed,
      boolean deleted) {}
  /** Whether a VGTID came since the last checkpoint after a failure. */
  private boolean progressed;
  private final Events events;

  KeyspaceStream(SourceConfig config, ChangeStreams changes, ReadSession session, Pause pause,
      Map<ConfiguredStream, Table> streams, CursorBook book, StopRule stops) {
    this.config = config;
    this.changes = changes;
    this.session = session;
    this.attempts = new StreamAttempts(config, session, pause);
    this.book = book;
    this.stops = stops;
    this.events = new Events();
    streams.forEach((stream, table) -> {
      String name = stream.id().name();
      tables.add(name);
      streamsByTable.put(name, stream.id());
      configured.put(name, stream);
      layouts.put(name, layout(stream, table.columns()));
      List<String> streamed = TableCopy.streamedColumns(table, stream);
      if (!streamed.isEmpty()) {
        columns.put(name, streamed);
      }
    });
  }

  private RecordLayout layout(ConfiguredStream stream, List<Column> columns) {
    return RecordLayout.select(columns, stream.selectedColumns(), true, config.includeMetadata());
  }

  void read() throws InterruptedException {
    attempts.run(this);
  }

  @Override
  public boolean done() {
    return finished;
  }

  @Override
  public void attempt() {
    // opened even when the starts contain the stops: a position ahead of its shard is VTGate's to judge
    Map<Shard, String> starts = book.start();
    List<ChangeStreams.Start> request = new ArrayList<>();
    starts.forEach((shard, position) -> request.add(new ChangeStreams.Start(shard, position, null)));
    changes.stream(new ChangeStreams.Request(config.keyspace(), tables, request, columns), events);
  }

  @Override
  public boolean saveProgress() {
    joining.clear();
    // the changes written so far are covered by the positions of the last VGTID
    checkpointAll();
    boolean moved = progressed;
    progressed = false;
    return moved;
  }

  @Override
  public String what() {
    return "The VStream of " + tables.size() + " table(s) of " + config.keyspace() + " on shards "
        + book.positions().keySet();
  }

  /**
   * Rows whose columns lack one the rule names (written before it was added, or after it was
   * dropped): the table is streamed with every column from then on, and the log says so.
   */
  @Override
  public boolean adapt(ChangeStreamException e) {
    if (!(e instanceof UnknownColumnException gone) || !columns.containsKey(gone.table())
        || !TableCopy.names(columns.get(gone.table()), gone.column())) {
      return false;
    }
    columns.remove(gone.table());
    session.logOnce(LogLevel.WARN, ColumnChanges.everyColumn(streamsByTable.get(gone.table()), gone.column()));
    return true;
  }

  /**
   * A refused position, or a reshard VTGate cannot follow, names the streams and shards the
   * VStream started from: a position ahead of what a shard executed (a typo, a restore, another
   * cluster) is fixed where it came from; a position before more than one reshard, by a reset.
   */
  @Override
  public SourceException describe(ChangeStreamException e) {
    SourceException failure = StreamFailures.describe(e, config);
    String fix = switch (e.reason()) {
      case POSITION_LOST, POSITION_MISMATCH -> "; correct starting_gtids, or reset the streams named so they are"
          + " copied again.";
      case RESHARD_NOT_FOLLOWED -> ".";
      default -> null;
    };
    if (fix == null) {
      return failure;
    }
    String where = book.positions().keySet().stream()
        .map(shard -> "shard " + shard + ": " + book.owners(shard))
        .collect(Collectors.joining("; "));
    return new SourceException(failure.failureType(), failure.getMessage() + " The VStream started from the"
        + " positions of " + where + fix, e.getMessage(), e);
  }

  /** What each event does; true goes on, false closes the stream. */
  private final class Events extends ReaderEvents {
    Events() {
      super(session, config.keyspace(), config.timeoutSeconds());
    }

    @Override
    Collection<StreamId> streams() {
      return streamsByTable.values();
    }

    @Override
    Map<Shard, String> behind() {
      Map<Shard, String> behind = new TreeMap<>();
      book.positions().forEach((shard, position) -> {
        if (!stops.reached(shard, position)) {
          behind.put(shard, position);
        }
      });
      return behind;
    }

    @Override
    String stopOf(Shard shard) {
      return stops.stopOf(shard);
    }

    /** {@code Streaming 3 tables of commerce: shard -80 12 transactions short of where this sync stops, 80- there; ...} */
    @Override
    String progress(ReadProgress progress) {
      Map<Shard, String> behind = behind();
      StringBuilder line = new StringBuilder("Streaming ").append(tables.size()).append(tables.size() == 1 ? " table" : " tables")
          .append(" of ").append(config.keyspace()).append(": ");
      List<String> shards = new ArrayList<>();
      for (Shard shard : new java.util.TreeSet<>(book.positions().keySet())) {
        shards.add("shard " + shard + (behind.containsKey(shard)
            ? " " + ReadProgress.shortOf(behind.get(shard), stops.stopOf(shard)) : " there"));
      }
      return line.append(String.join(", ", shards)).append("; ").append(progress.rowsRead())
          .append(progress.latestChange()).append('.').toString();
    }

    @Override
    void onFields(ChangeEvent.Fields event) {
      ConfiguredStream stream = configured.get(event.table());
      if (stream != null) {
        layouts.put(event.table(), layout(stream, event.columns()));
      }
    }

    @Override
    boolean onRow(ChangeEvent.RowChange event) {
      StreamId stream = streamsByTable.get(event.table());
      if (stream == null) {
        return true;
      }
      Shard shard = shardOf(event);
      boolean deleted = event.operation() == ChangeEvent.Operation.DELETE;
      RawRow image = deleted ? event.before() : event.after();
      if (book.position(shard) == null) {
        // a shard that replaced others in a reshard: its first VGTID, after this transaction, says whose it is
        RawRow held = image.stable() ? image : CopiedRow.of(image);
        joining.add(new Joining(stream, shard, layouts.get(event.table()), held, event.eventTime(), deleted));
      } else if (book.writes(stream, shard)) {
        session.change(stream, layouts.get(event.table()), image, event.eventTime(), deleted, book.position(shard));
      }
      return true;
    }

    @Override
    boolean onPosition(ChangeEvent.Vgtid event) {
      return KeyspaceStream.this.onPosition(event);
    }

    @Override
    boolean onCopyCompleted(ChangeEvent.CopyCompleted event) {
      return true;
    }

    @Override
    void onIdle() {
      // VTGate is reading (a long transaction, a throttled tablet) or idle: no position, no end
      checkpointDue();
    }

    @Override
    boolean onJournal(ChangeEvent.Journal event) {
      Map<Shard, String> targets = new HashMap<>();
      event.newPositions().forEach(p -> targets.put(p.shard(), p.position()));
      CursorBook.Reshard reshard = book.journal(event.sourceShards(), targets);
      if (reshard == null) {
        return true;
      }
      session.log(LogLevel.INFO, "Shards " + event.sourceShards() + " of " + config.keyspace()
          + " were resharded; the streams follow their rows to shards " + reshard.joined().keySet() + ".");
      return moved(reshard);
    }
  }

  /** The row's shard; VTGate names it, and a stream of one shard needs no name. */
  private Shard shardOf(ChangeEvent.RowChange event) {
    if (event.shard() != null) {
      return event.shard();
    }
    if (book.positions().size() == 1) {
      return book.positions().keySet().iterator().next();
    }
    throw new IllegalStateException("a row of " + event.table() + " names no shard in a VStream of shards "
        + book.positions().keySet());
  }

  private boolean onPosition(ChangeEvent.Vgtid vgtid) {
    Map<Shard, String> positions = new HashMap<>();
    for (ChangeEvent.ShardPosition p : vgtid.shards()) {
      if (p.keyspace().equals(config.keyspace())) {
        positions.put(p.shard(), p.position());
      }
    }
    progressed = true;
    return moved(book.advance(positions));
  }

  /** After the book moved: the rows that waited for it, a STATE where a reshard moved streams, the stop. */
  private boolean moved(CursorBook.Reshard reshard) {
    if (reshard != null) {
      reshard.joined().forEach(stops::joined);
      for (StreamId stream : book.streams()) {
        session.checkpoint(stream, book.cursors(stream), reshard.replaced());
      }
    }
    for (Joining row : joining) {
      if (book.writes(row.stream(), row.shard())) {
        session.change(row.stream(), row.layout(), row.row(), row.committed(), row.deleted(),
            book.position(row.shard()));
      }
    }
    joining.clear();
    if (stops.reachedEverywhere(book.positions())) {
      finish();
      return false;
    }
    checkpointDue();
    return true;
  }

  private void finish() {
    finished = true;
    checkpointAll();
  }

  private void checkpointDue() {
    for (StreamId stream : book.streams()) {
      if (session.checkpointDue(stream)) {
        session.checkpoint(stream, book.cursors(stream));
      }
    }
  }

  private void checkpointAll() {
    for (StreamId stream : book.streams()) {
      session.checkpoint(stream, book.cursors(stream));
    }
  }
}
