package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.CursorCodec;
import dev.sourcevitess.domain.port.Pause;
import dev.sourcevitess.domain.port.ReadOutput;
import dev.sourcevitess.domain.port.RowSnapshots;
import dev.sourcevitess.domain.port.SchemaReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code read} use case. STANDARD copies each table over SQL. VSTREAM peeks at every shard's
 * current position once, skips streams already there, and reads the rest per shard in parallel:
 * a copy where there is no position, then changes up to the stop position.
 */
public final class ReadStreams {
  private final SourceConfig config;
  private final SchemaReader schema;
  private final RowSnapshots snapshots;
  private final ChangeStreams changes;
  private final CursorCodec codec;
  private final ReadOutput output;
  private final Clock clock;
  private final Pause pause;

  public ReadStreams(SourceConfig config, SchemaReader schema, RowSnapshots snapshots, ChangeStreams changes,
      CursorCodec codec, ReadOutput output, Clock clock, Pause pause) {
    this.config = config;
    this.schema = schema;
    this.snapshots = snapshots;
    this.changes = changes;
    this.codec = codec;
    this.output = output;
    this.clock = clock;
    this.pause = pause;
  }

  /**
   * Reads the configured streams from the given state. Streams whose table is gone are set aside
   * and the others read; the sync then fails naming them.
   *
   * @throws SourceException when a stream could not be read to its end; every configured stream
   *     not complete by then is INCOMPLETE, and the last good STATEs are already out. The caller
   *     reports the error.
   */
  public void read(List<ConfiguredStream> catalog, Map<StreamId, StreamState> state) throws InterruptedException {
    ReadSession session = new ReadSession(output, codec, clock);
    try {
      catalog.forEach(this::checkConfigured);
      Map<StreamId, Map<Shard, TableCursor>> saved = decode(state);
      if (config.replicationMethod() == ReplicationMethod.STANDARD) {
        warnIncrementalUnderStandard(catalog, session);
        readStandard(tables(catalog, session), saved, session);
      } else {
        readVStream(catalog, saved, session);
      }
    } catch (RuntimeException | InterruptedException e) {
      // Airbyte's destinations expect a terminal status for every configured stream, started or not
      catalog.forEach(stream -> session.incomplete(stream.id()));
      throw e;
    }
  }

  /** Each stream's table, read from the schema; a stream whose table is gone is said in the log. */
  private CatalogTables tables(List<ConfiguredStream> catalog, ReadSession session) {
    CatalogTables tables = new CatalogTables(config.keyspace(), catalog, schema.tables());
    tables.failure().ifPresent(e -> session.log(LogLevel.ERROR, e.getMessage()
        + " The other streams are read first; then the sync fails."));
    noteUnlistedColumns(tables.found(), session);
    warnMissingColumns(tables.found(), session);
    return tables;
  }

  /**
   * Columns the configured catalog does not list are not read: left out on purpose, or added since
   * the catalog was configured. One line says which, so a new column is not missed silently.
   */
  private static void noteUnlistedColumns(Map<ConfiguredStream, Table> tables, ReadSession session) {
    List<String> unlisted = new ArrayList<>();
    tables.forEach((stream, table) -> {
      List<String> columns = table.unlisted(stream.selectedColumns());
      if (!columns.isEmpty()) {
        unlisted.add(stream.id() + " (" + String.join(", ", columns) + ")");
      }
    });
    if (!unlisted.isEmpty()) {
      session.log(LogLevel.INFO, "Columns not in the configured catalog are not read: " + String.join("; ", unlisted)
          + ". Columns added since the catalog was configured come along once the source schema is refreshed"
          + " and they are selected.");
    }
  }

  /**
   * Configured columns the table no longer has (dropped or renamed since the catalog was
   * configured): the sync goes on without them, as VTGate could not stream a rule naming them, and
   * a WARN per stream says so, since the destination keeps the column and gets no more values for it.
   */
  private static void warnMissingColumns(Map<ConfiguredStream, Table> tables, ReadSession session) {
    tables.forEach((stream, table) -> {
      List<String> missing = table.missing(stream.selectedColumns());
      if (!missing.isEmpty()) {
        session.log(LogLevel.WARN, ColumnChanges.missing(stream.id(), missing));
      }
    });
  }

  private void checkConfigured(ConfiguredStream stream) {
    String namespace = stream.id().namespace();
    if (!namespace.isEmpty() && !namespace.equals(config.keyspace())) {
      throw SourceException.config("Stream " + stream.id() + " belongs to " + namespace + ", but this source reads "
          + config.keyspace() + "; refresh the source schema.");
    }
  }

  /**
   * Discover offers STANDARD streams for full refresh only, but Airbyte's own Python client asks
   * every stream for incremental: such a stream is read in full, as Airbyte's CDK sources do, and
   * the log says so once.
   */
  private static void warnIncrementalUnderStandard(List<ConfiguredStream> catalog, ReadSession session) {
    List<String> incremental = catalog.stream().filter(s -> s.syncMode() == SyncMode.INCREMENTAL)
        .map(s -> s.id().toString()).toList();
    if (!incremental.isEmpty()) {
      session.log(LogLevel.WARN, "replication_method STANDARD reads every table in full: " + String.join(", ",
          incremental) + (incremental.size() == 1 ? " is" : " are") + " configured as incremental and read as a"
          + " full refresh, so deleted rows stay in the destination; use VSTREAM for changes.");
    }
  }

  /**
   * Decodes every saved cursor up front, so a bad state fails before anything is read.
   *
   * <p>A state under another namespace belongs to a stream this source does not read (the
   * connection's database was changed, or states were copied between connections): as Airbyte's
   * sources do with states of streams outside the catalog, it is left out, with a warning, and the
   * stream of that name here starts afresh, which loses nothing. A state under this namespace whose
   * cursors name another keyspace or shard cannot be told apart from a corrupt one: refused.
   */
  private Map<StreamId, Map<Shard, TableCursor>> decode(Map<StreamId, StreamState> state) {
    Map<StreamId, Map<Shard, TableCursor>> out = new HashMap<>();
    List<String> foreign = new ArrayList<>();
    state.forEach((id, streamState) -> {
      if (!id.namespace().isEmpty() && !id.namespace().equals(config.keyspace())) {
        foreign.add(id.toString());
        return;
      }
      Map<Shard, TableCursor> cursors = new TreeMap<>();
      streamState.cursorsByShard().forEach((shard, encoded) -> {
        TableCursor cursor;
        try {
          cursor = codec.decode(encoded);
        } catch (IllegalArgumentException e) {
          throw new SourceException(FailureType.CONFIG_ERROR, "The state of stream " + id.name() + " on shard "
              + shard + " is not a cursor this connector can read (" + e.getMessage() + "); reset the stream.",
              e.toString(), e);
        }
        if (!cursor.keyspace().equals(config.keyspace()) || !cursor.shard().name().equals(shard)) {
          throw SourceException.config("The state of stream " + id.name() + " under shard " + shard
              + " was saved for keyspace " + cursor.keyspace() + ", shard " + cursor.shard() + ", but this source reads"
              + " keyspace " + config.keyspace() + ": it is not this stream's state; reset the stream.");
        }
        cursors.put(cursor.shard(), cursor);
      });
      out.put(new StreamId(config.keyspace(), id.name()), cursors);
    });
    if (!foreign.isEmpty()) {
      output.log(LogLevel.WARN, "The state holds streams of another database than " + config.keyspace() + " ("
          + String.join(", ", foreign) + "); they are not read here and their state is left out. Streams of "
          + config.keyspace() + " without a state of their own start from the beginning.");
    }
    return out;
  }

  /** A copy resumes after its saved key only if that is a key of the table as it is now. */
  private static void requireKeyOf(ConfiguredStream stream, Table table, TableCursor cursor) {
    if (cursor.lastKnownPk() == null) {
      return;
    }
    cursor.lastKnownPk().misfit(table).ifPresent(problem -> {
      throw SourceException.config("The state of stream " + stream.id() + " on shard " + cursor.shard()
          + " cannot say where its copy stopped: " + problem + ". Reset the stream to copy it again.");
    });
  }

  private static StreamId key(ConfiguredStream stream, String keyspace) {
    return new StreamId(keyspace, stream.id().name());
  }

  private void readStandard(CatalogTables tables, Map<StreamId, Map<Shard, TableCursor>> saved,
      ReadSession session) throws InterruptedException {
    StandardCopy copy = new StandardCopy(snapshots, session, pause, config.maxRetries());
    for (var entry : tables.found().entrySet()) {
      ConfiguredStream stream = entry.getKey();
      Table table = entry.getValue();
      TableCursor from = saved.getOrDefault(key(stream, config.keyspace()), Map.of())
          .getOrDefault(Shard.UNSHARDED, TableCursor.start(config.keyspace(), Shard.UNSHARDED));
      if (table.pagesByKey()) {
        requireKeyOf(stream, table, from);
      }
      session.start(stream.id(), Map.of(Shard.UNSHARDED, from), table.rowEstimate(), table.byteEstimate());
      copy.copy(stream, table, from);
      session.complete(stream.id());
    }
    tables.failure().ifPresent(e -> {
      throw e;
    });
  }

  private void readVStream(List<ConfiguredStream> catalog, Map<StreamId, Map<Shard, TableCursor>> saved,
      ReadSession session) throws InterruptedException {
    Map<Shard, String> stops = peek();
    ShardSelection selection = new ShardSelection(config, stops.keySet());
    Set<Shard> live = selection.live();
    Map<Shard, String> starting = selection.startingGtids();
    SyncPlan whole = SyncPlan.of(config, catalog, saved, live, stops, starting);
    // Nothing new anywhere since the state: the sync ends without the schema (a table dropped since
    // would have moved the position). A stream without state still needs its table checked.
    boolean work = !whole.busy.isEmpty() || catalog.stream().anyMatch(s -> saved.getOrDefault(
        key(s, config.keyspace()), Map.of()).isEmpty());
    Optional<CatalogTables> catalogTables = work ? Optional.of(tables(catalog, session)) : Optional.empty();
    Map<ConfiguredStream, Table> tables = catalogTables.map(CatalogTables::found).orElse(Map.of());
    // streams whose table is gone are set aside; the others are read, then the sync fails
    List<ConfiguredStream> readable = new ArrayList<>(catalog);
    catalogTables.ifPresent(found -> readable.removeAll(found.missing()));
    SyncPlan plan = readable.size() == catalog.size() ? whole
        : SyncPlan.of(config, readable, saved, live, stops, starting);
    for (SyncPlan.Copy copy : plan.copies) {
      copy.from().values().forEach(cursor -> requireKeyOf(copy.stream(), tables.get(copy.stream()), cursor));
    }
    Map<StreamId, ConfiguredStream> byId = new LinkedHashMap<>();
    readable.forEach(stream -> byId.put(stream.id(), stream));
    List<String> upToDate = new ArrayList<>();
    for (ConfiguredStream stream : readable) {
      // an up-to-date stream emits no rows this sync
      Table table = plan.busy.contains(stream.id()) ? tables.get(stream) : null;
      session.start(stream.id(), plan.initial.get(stream.id()), table == null ? 0 : table.rowEstimate(),
          table == null ? 0 : table.byteEstimate());
      if (table == null) {
        upToDate.add(stream.id().toString());
      }
    }
    if (!upToDate.isEmpty()) {
      // one line, not one per stream: a sync of hundreds of quiet tables says so once
      session.log(LogLevel.INFO, "Up to date on every shard, nothing to read: " + String.join(", ", upToDate) + ".");
    }
    List<Task> tasks = new ArrayList<>();
    for (CursorBook book : plan.keyspaceStreams()) {
      Map<ConfiguredStream, Table> streams = new LinkedHashMap<>();
      book.streams().forEach(id -> streams.put(byId.get(id), tables.get(byId.get(id))));
      tasks.add(new Task(Set.copyOf(book.streams()), () -> readKeyspace(streams, book, book == plan.resharded, plan, stops,
          session)));
    }
    for (SyncPlan.Copy copy : plan.copies) {
      tasks.add(new Task(Set.of(copy.stream().id()), () -> new TableCopy(config, changes, session, pause,
          copy.stream(), tables.get(copy.stream()), copy.from(), stops).read()));
    }
    run(tasks, readable, catalogTables.flatMap(CatalogTables::failure).orElse(null), session);
  }

  /** A reader of some streams, run on the pool. */
  private record Task(Set<StreamId> streams, Work work) {}

  @FunctionalInterface
  private interface Work {
    void run() throws InterruptedException;
  }

  /**
   * Runs the readers in parallel; a stream is complete when every reader of it is. The sync then
   * fails with the worst failure, {@code catalogFailure} (streams set aside) among them.
   */
  private void run(List<Task> tasks, List<ConfiguredStream> catalog, SourceException catalogFailure,
      ReadSession session) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(config.concurrency(), runnable -> {
      Thread thread = new Thread(runnable, "vstream-reader");
      thread.setDaemon(true);
      return thread;
    });
    try {
      Map<Task, Future<?>> running = new LinkedHashMap<>();
      for (Task task : tasks) {
        running.put(task, pool.submit(() -> {
          task.work().run();
          return null;
        }));
      }
      Map<StreamId, SourceException> failures = new HashMap<>();
      for (var entry : running.entrySet()) {
        try {
          entry.getValue().get();
        } catch (ExecutionException e) {
          SourceException cause = asSourceException(e.getCause());
          entry.getKey().streams().forEach(id -> failures.merge(id, cause, ReadStreams::worse));
        }
      }
      SourceException failure = catalogFailure;
      for (ConfiguredStream stream : catalog) {
        SourceException streamFailure = failures.get(stream.id());
        if (streamFailure == null) {
          session.complete(stream.id());
        } else {
          session.incomplete(stream.id());
          failure = worse(failure, streamFailure);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One keyspace stream; after a reshard whose journal is gone, copies its streams again. */
  private void readKeyspace(Map<ConfiguredStream, Table> streams, CursorBook book, boolean followingReshard,
      SyncPlan plan, Map<Shard, String> stops, ReadSession session) throws InterruptedException {
    try {
      new KeyspaceStream(config, changes, session, pause, streams, book, new StopRule(stops)).read();
    } catch (SourceException e) {
      ChangeStreamException cause = e.getCause() instanceof ChangeStreamException c ? c : null;
      boolean journalGone = cause != null && (cause.reason() == ChangeStreamException.Reason.NOT_FOUND
          || cause.reason() == ChangeStreamException.Reason.POSITION_LOST
          || cause.reason() == ChangeStreamException.Reason.POSITION_MISMATCH);
      if (!followingReshard || !journalGone) {
        throw e;
      }
      for (var entry : streams.entrySet()) {
        ConfiguredStream stream = entry.getKey();
        Map<Shard, TableCursor> fresh = new TreeMap<>();
        for (Shard shard : plan.newShards.get(stream.id())) {
          fresh.put(shard, TableCursor.start(config.keyspace(), shard));
        }
        Set<Shard> gone = new TreeSet<>(plan.initial.get(stream.id()).keySet());
        gone.removeAll(stops.keySet());
        session.log(LogLevel.WARN, stream.id() + " was saved on shards " + gone
            + ", which are gone, and VTGate cannot follow their reshard journal (" + cause.getMessage()
            + "). Copying it again from shards " + fresh.keySet() + "; rows deleted meanwhile may stay in the"
            + " destination until the stream is reset.");
        session.checkpoint(stream.id(), fresh, gone);
        if (!fresh.isEmpty()) {
          new TableCopy(config, changes, session, pause, stream, entry.getValue(), fresh, stops).read();
        }
      }
    }
  }

  private static SourceException asSourceException(Throwable t) {
    if (t instanceof SourceException e) {
      return e;
    }
    return new SourceException(FailureType.SYSTEM_ERROR, "Reading failed unexpectedly: " + t, String.valueOf(t), t);
  }

  /** The failure to report: the user's to fix first, then a retry's. */
  private static SourceException worse(SourceException a, SourceException b) {
    if (a == null) {
      return b;
    }
    return b.failureType().ordinal() < a.failureType().ordinal() ? b : a;
  }

  private Map<Shard, String> peek() {
    try {
      Map<Shard, String> positions = changes.currentPositions(config.keyspace());
      if (positions.isEmpty()) {
        throw SourceException.config("VTGate lists no shard for keyspace " + config.keyspace()
            + "; check the database name.");
      }
      return new TreeMap<>(positions);
    } catch (ChangeStreamException e) {
      throw new MissingVtgate(config, schema).describe(e);
    }
  }
}
