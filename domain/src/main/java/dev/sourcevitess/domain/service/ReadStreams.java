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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

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
   * Reads the configured streams from the given state.
   *
   * @throws SourceException when a stream could not be read to its end; its status is INCOMPLETE
   *     and its last good STATE is already out. The caller reports the error.
   */
  public void read(List<ConfiguredStream> catalog, Map<StreamId, StreamState> state) throws InterruptedException {
    catalog.forEach(this::checkConfigured);
    Map<StreamId, Map<Shard, TableCursor>> saved = decode(state);
    ReadSession session = new ReadSession(output, codec, clock);
    if (config.replicationMethod() == ReplicationMethod.STANDARD) {
      warnIncrementalUnderStandard(catalog, session);
      readStandard(tables(catalog), saved, session);
    } else {
      readVStream(catalog, saved, session);
    }
  }

  /** Each stream's table, in catalog order; read from the schema, which must still have them. */
  private Map<ConfiguredStream, Table> tables(List<ConfiguredStream> catalog) {
    Map<String, Table> tables = new HashMap<>();
    schema.tables().forEach(t -> tables.put(t.name(), t));
    Map<ConfiguredStream, Table> streams = new LinkedHashMap<>();
    for (ConfiguredStream stream : catalog) {
      Table table = tables.get(stream.id().name());
      if (table == null) {
        throw SourceException.config("Stream " + stream.id() + " is not a table of " + config.keyspace()
            + " any more; refresh the source schema.");
      }
      streams.put(stream, table);
    }
    return streams;
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

  /** Decodes every saved cursor up front, so a bad state fails before anything is read. */
  private Map<StreamId, Map<Shard, TableCursor>> decode(Map<StreamId, StreamState> state) {
    Map<StreamId, Map<Shard, TableCursor>> out = new HashMap<>();
    state.forEach((id, streamState) -> {
      Map<Shard, TableCursor> cursors = new TreeMap<>();
      streamState.cursorsByShard().forEach((shard, encoded) -> {
        try {
          TableCursor cursor = codec.decode(encoded);
          cursors.put(new Shard(shard), cursor);
        } catch (IllegalArgumentException e) {
          throw new SourceException(FailureType.CONFIG_ERROR, "The state of stream " + id.name() + " on shard "
              + shard + " is not a cursor this connector can read (" + e.getMessage() + "); reset the stream.",
              e.toString(), e);
        }
      });
      out.put(new StreamId(config.keyspace(), id.name()), cursors);
    });
    return out;
  }

  private static StreamId key(ConfiguredStream stream, String keyspace) {
    return new StreamId(keyspace, stream.id().name());
  }

  private void readStandard(Map<ConfiguredStream, Table> streams, Map<StreamId, Map<Shard, TableCursor>> saved,
      ReadSession session) throws InterruptedException {
    StandardCopy copy = new StandardCopy(snapshots, session, pause, config.maxRetries());
    for (var entry : streams.entrySet()) {
      ConfiguredStream stream = entry.getKey();
      Table table = entry.getValue();
      TableCursor from = saved.getOrDefault(key(stream, config.keyspace()), Map.of())
          .getOrDefault(Shard.UNSHARDED, TableCursor.start(config.keyspace(), Shard.UNSHARDED));
      session.start(stream.id(), Map.of(Shard.UNSHARDED, from), table.rowEstimate(), table.byteEstimate());
      try {
        copy.copy(stream, table, from);
      } catch (SourceException e) {
        session.incomplete(stream.id());
        throw e;
      }
      session.complete(stream.id());
    }
  }

  private void readVStream(List<ConfiguredStream> catalog, Map<StreamId, Map<Shard, TableCursor>> saved,
      ReadSession session) throws InterruptedException {
    Map<Shard, String> stops = peek();
    Set<Shard> live = liveShards(stops.keySet());
    SyncPlan plan = SyncPlan.of(config.keyspace(), catalog, saved, live, stops, startingGtids(stops.keySet()));
    // Nothing new anywhere since the state: the sync ends without the schema (a table dropped since
    // would have moved the position). A stream without state still needs its table checked.
    boolean work = !plan.busy.isEmpty() || catalog.stream().anyMatch(s -> saved.getOrDefault(
        key(s, config.keyspace()), Map.of()).isEmpty());
    Map<ConfiguredStream, Table> tables = work ? tables(catalog) : Map.of();
    Map<StreamId, ConfiguredStream> byId = new LinkedHashMap<>();
    catalog.forEach(stream -> byId.put(stream.id(), stream));
    List<String> upToDate = new ArrayList<>();
    for (ConfiguredStream stream : catalog) {
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
    run(tasks, catalog, session);
  }

  /** A reader of some streams, run on the pool. */
  private record Task(Set<StreamId> streams, Work work) {}

  @FunctionalInterface
  private interface Work {
    void run() throws InterruptedException;
  }

  /** Runs the readers in parallel; a stream is complete when every reader of it is. */
  private void run(List<Task> tasks, List<ConfiguredStream> catalog, ReadSession session)
      throws InterruptedException {
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
      SourceException failure = null;
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
      throw StreamFailures.describe(e, config);
    }
  }

  /** The shards to read: all, or those the filter names, each of which must exist. */
  private Set<Shard> liveShards(Set<Shard> all) {
    if (config.shards().isEmpty()) {
      return new TreeSet<>(all);
    }
    List<String> unknown = config.shards().stream().filter(s -> !all.contains(s)).map(Shard::name).toList();
    if (!unknown.isEmpty()) {
      throw SourceException.config("The shards filter names " + String.join(", ", unknown) + ", not shards of "
          + config.keyspace() + "; its shards are " + names(all) + ".");
    }
    return new TreeSet<>(config.shards());
  }

  private Map<Shard, String> startingGtids(Set<Shard> all) {
    Map<Shard, String> positions = config.startingGtids().getOrDefault(config.keyspace(), Map.of());
    List<String> unknown = positions.keySet().stream().filter(s -> !all.contains(s)).map(Shard::name).toList();
    if (!unknown.isEmpty()) {
      throw SourceException.config("starting_gtids names shards " + String.join(", ", unknown) + ", not shards of "
          + config.keyspace() + "; its shards are " + names(all) + ".");
    }
    return positions;
  }

  private static String names(Set<Shard> shards) {
    return shards.stream().map(Shard::name).sorted().collect(Collectors.joining(", "));
  }
}
